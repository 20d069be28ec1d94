import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import type pg from "pg";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import { appRoot } from "../src/paths.js";
import type { WorkerJob, WorkerTiming } from "./answer-worker.js";
import type { AnswerLine, FreshAnswers } from "./fresh-answers.js";
import { seconds, thousands } from "./progress.js";

const WORKER = fileURLToPath(new URL("./answer-worker.ts", import.meta.url));

export interface ThroughputSizes {
  /** Timed answers: all in one process, then half in each of two. */
  answers: number;
  /** Answered by each process before it is timed. */
  warmup: number;
  /** Answers each process has in flight at once. */
  inFlight: number;
  /** Every process is stopped past this, and the bench fails. */
  timeoutMs: number;
}

export interface Throughput {
  inFlight: number;
  answers: number;
  /** Answers per second: one process, and two at once (all their answers over the span from first start to last end). */
  one: number;
  two: number;
  /** Lines handed out (warm-ups too) and what the database gained meanwhile. */
  handed: number;
  rows: number;
  pairs: number;
  ledger: number;
  /** The whole figure, processes' start-up included. */
  ms: number;
}

/** Workers not yet exited: stopped by pid when the figure ends, fails or runs out of time, or when the bench exits. */
const live = new Set<ChildProcessWithoutNullStreams>();
function stopLive(): void {
  for (const child of live) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // Exited in the meantime.
    }
  }
}

interface Worker {
  /** Settles once the process has exited (or could not start). */
  closed: Promise<void>;
  ready(): Promise<void>;
  go(): Promise<WorkerTiming>;
}

function startWorker(name: string, job: WorkerJob, timeoutMs: number, outOfTime: () => boolean): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], { cwd: appRoot, stdio: "pipe" });
  live.add(child);
  let stderr = "";
  let exit = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // A worker that died is reported through its exit below, not through a write to its closed input.
  child.stdin.on("error", () => {});
  const closed = new Promise<void>((resolve) => {
    child.on("error", (error) => {
      exit = `could not start: ${error.message}`;
      live.delete(child);
      resolve();
    });
    child.on("close", (code, signal) => {
      exit ||= `exited with ${signal ?? `code ${code}`}`;
      live.delete(child);
      resolve();
    });
  });
  const output = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const expectLine = async (what: string): Promise<string> => {
    const read = await output.next();
    if (!read.done) return read.value;
    await closed;
    const why = outOfTime() ? `was stopped: out of time (${seconds(timeoutMs)})` : exit;
    throw new Error(`answer worker ${name} (pid ${child.pid}) ${why} before ${what}\n${stderr}`);
  };
  child.stdin.write(`${JSON.stringify(job)}\n`);
  return {
    closed,
    async ready() {
      const line = await expectLine("it was ready");
      if (line !== "ready") throw new Error(`answer worker ${name} said "${line}", not ready`);
    },
    async go() {
      child.stdin.write("go\n");
      return JSON.parse(await expectLine("its timing")) as WorkerTiming;
    },
  };
}

interface Stored {
  lastAnswerId: number;
  ledger: number;
}

async function storedSoFar(pool: pg.Pool): Promise<Stored> {
  const { rows } = await pool.query(
    "SELECT (SELECT coalesce(max(id), 0) FROM answers) AS last, (SELECT count(*) FROM points_ledger) AS ledger",
  );
  return { lastAnswerId: Number(rows[0]?.last), ledger: Number(rows[0]?.ledger) };
}

/**
 * /answer throughput of one bot process, then of two at once (different learners), each a real
 * child process on the same PostgreSQL database with `inFlight` answers at a time; every (learner,
 * question) pair fresh, and each answer checked to be stored once.
 */
export async function answerThroughput(
  pool: pg.Pool,
  url: string,
  pairs: FreshAnswers,
  curriculum: Curriculum,
  now: Date,
  sizes: ThroughputSizes,
): Promise<Throughput> {
  const started = performance.now();
  // Handed over as JSON: it must come out the same on the other side.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(curriculum)), curriculum)) {
    throw new Error("the curriculum does not survive JSON: the answer workers must load it themselves");
  }
  const half = Math.floor(sizes.answers / 2);
  // Different learners in each of the two processes: odd member ids in one, even in the other.
  const odd = (memberId: number) => memberId % 2 === 1;
  const even = (memberId: number) => memberId % 2 === 0;
  const job = (warmup: AnswerLine[], runs: AnswerLine[][]): WorkerJob => ({
    url,
    curriculum,
    now: now.toISOString(),
    inFlight: sizes.inFlight,
    warmup,
    runs,
  });
  // The first process times all the answers alone, then half of them while the second times the other half.
  const jobs = [
    job(pairs.take(sizes.warmup, odd), [pairs.take(2 * half), pairs.take(half, odd)]),
    job(pairs.take(sizes.warmup, even), [pairs.take(half, even)]),
  ];
  const handed = jobs.reduce((n, j) => n + j.warmup.length + j.runs.flat().length, 0);
  const before = await storedSoFar(pool);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopLive();
  }, sizes.timeoutMs);
  process.on("exit", stopLive);
  const workers: Worker[] = [];
  let one: WorkerTiming;
  let two: WorkerTiming[];
  try {
    // Both start (and warm up) at once; the second waits, idle, while the first runs alone.
    jobs.forEach((j, i) => {
      workers.push(startWorker(String(i + 1), j, sizes.timeoutMs, () => timedOut));
    });
    await Promise.all(workers.map((w) => w.ready()));
    one = await (workers[0] as Worker).go();
    two = await Promise.all(workers.map((w) => w.go()));
    await Promise.all(workers.map((w) => w.closed));
  } finally {
    clearTimeout(timer);
    stopLive();
    await Promise.all(workers.map((w) => w.closed));
    process.removeListener("exit", stopLive);
  }

  const { rows } = await pool.query(
    "SELECT count(*) AS rows, count(DISTINCT (member_id, question_id)) AS pairs FROM answers WHERE id > $1",
    [before.lastAnswerId],
  );
  const after = await storedSoFar(pool);
  const span = Math.max(...two.map((t) => t.endedAt)) - Math.min(...two.map((t) => t.startedAt));
  const result: Throughput = {
    inFlight: sizes.inFlight,
    answers: 2 * half,
    one: (one.answered * 1000) / (one.endedAt - one.startedAt),
    two: (two.reduce((n, t) => n + t.answered, 0) * 1000) / span,
    handed,
    rows: Number(rows[0]?.rows),
    pairs: Number(rows[0]?.pairs),
    ledger: after.ledger - before.ledger,
    ms: performance.now() - started,
  };
  if (result.rows !== handed || result.pairs !== handed || result.ledger !== handed) {
    throw new Error(
      `${handed} answers handed to the processes, but ${result.rows} answer rows on ${result.pairs} (learner, question) pairs and ${result.ledger} ledger rows were stored`,
    );
  }
  return result;
}

export function printThroughput(t: Throughput): void {
  console.log(
    `  /answer throughput, ${t.inFlight} in flight per process   one process ${thousands(t.one).padStart(6)}/s   ` +
      `two processes ${thousands(t.two).padStart(6)}/s  (${(t.two / t.one).toFixed(2)}×)`,
  );
  console.log(
    `    ${thousands(t.answers)} answers each way (fresh pairs; the two processes different learners), ` +
      `every answer stored once: ${thousands(t.handed)} handed out with warm-ups, ${thousands(t.rows)} new answer rows ` +
      `on as many (learner, question) pairs, ${thousands(t.ledger)} ledger rows; ${seconds(t.ms)} with start-up`,
  );
}
