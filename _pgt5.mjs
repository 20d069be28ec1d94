import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

const rss = () => Math.round(process.memoryUsage().rss / 1048576);
const t1 = performance.now();
const pg2 = await PGlite.create({ loadDataDir: new Blob([readFileSync("/tmp/pgdump.tar")]) });
console.log(
  "fresh-process load boot",
  Math.round(performance.now() - t1),
  "rss",
  rss(),
  "wasm",
  pg2.Module.wasmMemory.buffer.byteLength >> 20,
  "heapUsed",
  process.memoryUsage().heapUsed >> 20,
  "ext",
  process.memoryUsage().external >> 20,
  "ab",
  process.memoryUsage().arrayBuffers >> 20,
);
