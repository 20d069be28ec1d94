import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { launchSpec } from "../../src/sandbox/pool/launch.js";
import { escapePayload, loadSql, writeFileSql } from "./side-module.js";

const PROBE = fileURLToPath(new URL("./load-probe.mjs", import.meta.url));
const SO_PATH = "/tmp/probe.so";

let dir: string | undefined;
function freshDir(): string {
  dir = mkdtempSync(join(tmpdir(), "quorum-escape-"));
  return dir;
}
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

interface ProbeReport {
  load: { ok: boolean; message?: string; code?: string };
  aliveAfterLoad: boolean;
}

/**
 * Runs load-probe.mjs with `flags`; resolves with its exit status and output. A child still running after
 * `deadlineMs` (before vitest's 30 s test timeout) or when this returns or throws is killed by its pid.
 */
async function runProbe(
  command: { file: string; args: string[]; env?: NodeJS.ProcessEnv },
  args: string[],
  deadlineMs = 20_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let child: ChildProcess | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const killChild = () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, "SIGKILL");
    }
  };
  try {
    const spawned = spawn(command.file, [...command.args, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      ...(command.env ? { env: command.env } : {}),
    });
    child = spawned;
    deadline = setTimeout(killChild, deadlineMs);
    let stdout = "";
    let stderr = "";
    spawned.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    spawned.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      spawned.once("error", reject);
      spawned.once("close", (c: number | null, s: NodeJS.Signals | null) => resolve([c, s]));
    });
    return { code, signal, stdout, stderr };
  } finally {
    clearTimeout(deadline);
    killChild();
  }
}

describe("a hand-built Emscripten side module LOADed by a superuser", () => {
  it("given the side module loaded by a superuser in a PGlite with code generation allowed, the payload runs", async () => {
    const { bytes, marker } = escapePayload(freshDir());
    const pg = await PGlite.create();
    try {
      for (const statement of writeFileSql(bytes, SO_PATH)) await pg.query(statement);
      const answer = await pg.exec(loadSql(SO_PATH)).then(
        () => "loaded",
        (error: Error) => error.message,
      );

      expect(existsSync(marker)).toBe(true);
      // The JavaScript ran inside dlopen; only afterwards did PostgreSQL reject the library.
      expect(answer).toBe(`incompatible library "${SO_PATH}": missing magic block`);
    } finally {
      await pg.close();
    }
  });

  it("given the same load in a process started as the sandbox starts its PostgreSQL engine, nothing runs", async () => {
    const { bytes, marker } = escapePayload(freshDir());
    // Exactly the restrictions of a PostgreSQL engine child (permission model, no code generation,
    // kernel limits), with the probe in place of the engine's own script.
    const spec = launchSpec("postgres", { heapMb: 256, dataMb: 2048, stackMb: 64, cpuSeconds: 60 }, PROBE);

    const result = await runProbe(spec, [Buffer.from(bytes).toString("hex"), SO_PATH]);

    expect(existsSync(marker)).toBe(false);
    expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
    const report = JSON.parse(result.stdout.trim()) as ProbeReport;
    // Stopped at the loader's eval, not merely by the permission model refusing the write.
    expect(report.load.ok).toBe(false);
    expect(report.load.message).toContain("EvalError: Code generation from strings disallowed");
    expect(report.aliveAfterLoad).toBe(true);
  });
});
