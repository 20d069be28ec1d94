// Child-process half of side-module.test.ts: the attacker's load, replayed in whatever Node flags the parent chose.
// Usage: node [flags] load-probe.mjs <side module as hex> <path inside PGlite's file system>
// Writes the module the attacker's way (lo_from_bytea + lo_export), runs LOAD, prints one JSON line, exits 0.
import { PGlite } from "@electric-sql/pglite";

const [hex, path] = process.argv.slice(2);
if (!hex || !path) {
  process.stderr.write("usage: load-probe.mjs <hex> <path>\n");
  process.exit(2);
}
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const outcome = (error) => ({ ok: false, message: error.message, code: error.code, hint: error.hint });

const started = Date.now();
const pg = await PGlite.create();
const createMs = Date.now() - started;
const oid = 4_242_424;
await pg.query(`SELECT lo_from_bytea(${oid}, '\\x${hex}'::bytea)`);
await pg.query(`SELECT lo_export(${oid}, ${quote(path)})`);
await pg.query(`SELECT lo_unlink(${oid})`);
const loadStarted = Date.now();
const load = await pg.exec(`LOAD ${quote(path)}`).then(() => ({ ok: true }), outcome);
const loadMs = Date.now() - loadStarted;
const after = await pg.query("SELECT 1 AS alive").then(
  (r) => r.rows[0]?.alive === 1,
  () => false,
);
await pg.close();
process.stdout.write(`${JSON.stringify({ load, aliveAfterLoad: after, createMs, loadMs })}\n`);
process.exit(0);
