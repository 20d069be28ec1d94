/**
 * One bot process of the "two processes against one" figure (bench/processes.ts): the real core on
 * the PostgreSQL store, answering the /answer lines it is handed with a fixed number in flight, as a
 * chat platform delivering several learners' answers at once would.
 *
 * Standard input: one line of JSON (a WorkerJob), then `go` before each of its timed runs.
 * Standard output: `ready` once connected and warmed up, then one line of JSON (a WorkerTiming) after
 * each run. Any failure goes to standard error with a non-zero exit.
 */
import { createInterface } from "node:readline";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import { type Core, handleText } from "../src/core/dispatch.js";
import { openPostgres } from "../src/db/postgres/client.js";
import { createPostgresStore } from "../src/db/postgres/store.js";
import { fixedClock } from "../test/fixed-clock.js";
import { benchLearner, storeCore } from "./core.js";
import type { AnswerLine } from "./fresh-answers.js";

export interface WorkerJob {
  url: string;
  /** The bench's loaded curriculum: loading it again would take each process seconds on a busy machine. */
  curriculum: Curriculum;
  /** The clock every answer is given at (ISO). */
  now: string;
  inFlight: number;
  /** Answered before `ready`: connections opened, code warm. */
  warmup: AnswerLine[];
  /** Each answered, and timed, after a `go`. */
  runs: AnswerLine[][];
}

/** Wall-clock milliseconds (sub-millisecond), comparable across processes on one machine. */
export interface WorkerTiming {
  startedAt: number;
  endedAt: number;
  answered: number;
}

const wallClock = () => performance.timeOrigin + performance.now();

/** Every line answered, `inFlight` at a time; an error reply fails the run, as it would time the wrong path. */
async function answerAll(core: Core, lines: AnswerLine[], inFlight: number): Promise<void> {
  let next = 0;
  let failed = false;
  const deliver = async () => {
    for (let pair = lines[next++]; pair && !failed; pair = lines[next++]) {
      const reply = await handleText(core, benchLearner(pair.memberId - 1), pair.line).catch((error) => {
        failed = true;
        throw error;
      });
      if (!reply?.text?.startsWith("Right!") && !reply?.text?.startsWith("Not quite")) {
        failed = true;
        throw new Error(`${pair.line} by member ${pair.memberId}: ${reply?.text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, deliver));
}

const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async (what: string): Promise<string> => {
  const read = await input.next();
  if (read.done) throw new Error(`standard input closed before ${what}`);
  return read.value;
};

const job = JSON.parse(await nextLine("the job")) as WorkerJob;
const postgres = await openPostgres(job.url, { migrate: false });
try {
  const core = storeCore(createPostgresStore(postgres), job.curriculum, fixedClock(job.now));
  await answerAll(core, job.warmup, job.inFlight);
  process.stdout.write("ready\n");
  for (const lines of job.runs) {
    if ((await nextLine("go")) !== "go") throw new Error("expected go");
    const startedAt = wallClock();
    await answerAll(core, lines, job.inFlight);
    const timing: WorkerTiming = { startedAt, endedAt: wallClock(), answered: lines.length };
    process.stdout.write(`${JSON.stringify(timing)}\n`);
  }
} finally {
  await postgres.close();
}
// Standard input may still be open: nothing more is read.
process.exit(0);
