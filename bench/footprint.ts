/**
 * The compiled bot as an operator starts it: how long until the terminal chat's first reply, how
 * much memory it holds idle, and how much it and its engine processes hold after one graded attempt
 * on each of the four engines.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCurriculum } from "../src/curriculum/load.js";
import { appRoot, defaultCurriculumDir } from "../src/paths.js";
import { processTree, residentMb } from "../test/process-memory.js";
import { recordGoal } from "./goals.js";

/** The bot's terminal chat fed one line at a time, each answered before the next is sent. */
class Chat {
  private output = "";
  private echoes = 0;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
  }

  /** Resolves once text has followed the line's echo and the output has been quiet a moment. */
  async say(line: string, timeoutMs = 60_000): Promise<string> {
    const echo = `› ${line}`;
    this.echoes += 1;
    const wanted = this.echoes;
    this.child.stdin.write(`${line}\n`);
    const deadline = Date.now() + timeoutMs;
    let seen = "";
    for (;;) {
      const parts = this.output.split("\n").filter((l) => l.includes("› "));
      const after = this.output.slice(this.output.lastIndexOf(echo) + echo.length).trim();
      if (parts.length >= wanted && after !== "" && after === seen) return after;
      seen = after;
      if (Date.now() > deadline) throw new Error(`no reply to ${line}; output so far:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  /** Resolves as soon as any line other than an echo has been printed. */
  async firstReply(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.split("\n").some((line) => line.trim() !== "" && !line.includes("› "))) {
      if (Date.now() > deadline) throw new Error(`no reply; output so far:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Which part of the tree a pid is: the bot, or the engine whose child script it runs. */
function partOf(pid: number, root: number): string {
  if (pid === root) return "bot";
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /sandbox[\\/](sqlite|postgres|mongodb|redis)[\\/]child/.exec(cmdline)?.[1] ?? "other";
  } catch {
    return "other";
  }
}

/** Resident memory of the tree by part: "postgres 2× 412 MB" and so on. */
function byPart(root: number): { total: number; parts: string[] } {
  const sums = new Map<string, { mb: number; each: number[] }>();
  let total = 0;
  for (const pid of processTree(root)) {
    const mb = residentMb(pid);
    if (mb === 0) continue;
    total += mb;
    const part = partOf(pid, root);
    const entry = sums.get(part) ?? { mb: 0, each: [] };
    entry.mb += mb;
    entry.each.push(Math.round(mb));
    sums.set(part, entry);
  }
  const parts = [...sums].map(
    ([part, { mb, each }]) => `${part} ${mb.toFixed(0)} MB${each.length > 1 ? ` (${each.join(" + ")})` : ""}`,
  );
  return { total, parts };
}

/** `env`: settings for the bot beyond the defaults (e.g. to measure the PostgreSQL spare). */
export async function benchFootprint(env: Record<string, string> = {}): Promise<void> {
  const built = spawnSync(
    process.execPath,
    [join(appRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: appRoot,
      encoding: "utf8",
    },
  );
  if (built.status !== 0) throw new Error(`build failed: ${built.stdout}${built.stderr}`);
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load");
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-footprint-"));
  const start = async () => {
    const child = spawn(process.execPath, [join(appRoot, "dist/main.js")], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", DATABASE_PATH: join(dir, "quorum.db"), NO_COLOR: "1", ...env },
    });
    child.stderr.resume();
    const chat = new Chat(child);
    const started = performance.now();
    const help = chat.say("/help");
    await chat.firstReply();
    const coldStartMs = performance.now() - started;
    await help;
    return { child, chat, coldStartMs };
  };
  const stop = async (child: ChildProcessWithoutNullStreams) => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
  // The first start ever checks the curriculum and keeps the result; every later start reads it.
  const first = await start();
  await stop(first.child);
  const { child, chat, coldStartMs } = await start();
  try {
    await chat.say("/cohort create bench 2026-03-02 UTC");
    // Idle: nothing to do for a few seconds, as between learners' messages.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idle = residentMb(child.pid ?? 0);

    const attempts: string[] = [];
    for (const engine of ["sqlite", "postgres", "mongodb", "redis"] as const) {
      const challenge = loaded.curriculum.bank.challenges
        .filter((c) => c.engine === engine)
        .sort((a, b) => a.solution.length - b.solution.length)[0];
      if (!challenge) continue;
      const reply = await chat.say(`/submit ${challenge.id} ${challenge.solution.replace(/\s+/g, " ")}`);
      attempts.push(`${engine}: ${reply.split("\n")[0]?.slice(0, 60)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const tree = processTree(child.pid ?? 0);
    const { total: afterAttempts, parts } = byPart(child.pid ?? 0);

    console.log("\nFootprint: the compiled bot (node dist/main.js), terminal chat, as an operator starts it");
    console.log(
      `  cold start to the first reply: ${coldStartMs.toFixed(0)} ms (the very first start, which checks the curriculum and keeps it: ${first.coldStartMs.toFixed(0)} ms)`,
    );
    console.log(`  resident memory idle: ${idle.toFixed(0)} MB`);
    console.log(
      `  after one attempt on each engine: ${afterAttempts.toFixed(0)} MB across ${tree.length} processes (${attempts.join("; ")})`,
    );
    console.log(`  by process: ${parts.join(", ")}`);
    recordGoal({
      name: "resident memory idle (compiled bot)",
      value: idle,
      target: 120,
      ok: idle <= 120,
      format: (n) => `${n.toFixed(0)} MB`,
      bound: "≤",
    });
    recordGoal({
      name: "cold start of the compiled bot to its first reply (terminal chat; a restart, the curriculum already checked)",
      value: coldStartMs / 1000,
      target: 1,
      ok: coldStartMs <= 1000,
      format: (n) => `${n.toFixed(2)} s`,
      bound: "≤",
    });
    recordGoal({
      name: "resident memory after one attempt on each of the four engines (bot and children)",
      value: afterAttempts,
      target: 500,
      ok: afterAttempts <= 500,
      format: (n) => `${n.toFixed(0)} MB`,
      bound: "≤",
    });
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
