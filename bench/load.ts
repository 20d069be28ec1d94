import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type Database from "better-sqlite3";
import { replyTo } from "../src/adapters/terminal/chat.js";
import type { QuizItem } from "../src/core/curriculum/bank.js";
import type { Core } from "../src/core/dispatch.js";
import type { Message } from "../src/core/messages.js";
import type { CommandOutcome, Metrics } from "../src/core/ports/metrics.js";
import { WorkGate } from "../src/core/work-gate.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { type OpenDatabase, openDatabase } from "../src/db/client.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { aggregateTables, keptAndRebuiltAggregates } from "../test/aggregate-snapshot.js";
import { fixedClock } from "../test/fixed-clock.js";
import { commandCore } from "./core.js";
import { recordGoal } from "./goals.js";

export interface LoadOptions {
  /** Learners answering at once (default 200). */
  learners?: number;
  /** `/answer` lines each learner sends, each for a different question (default 15). */
  answersPerLearner?: number;
  /** Answers the lone learner sends for the baseline, after a warm-up (default 100). */
  baselineAnswers?: number;
  /** Folder for the SQLite file (load.db, left in place); a temporary one, removed afterwards, when not given. */
  dir?: string;
  /** Changes the wired core before any line is sent, so a test can break a part and see it counted. */
  adjustCore?: (core: Core) => Core;
}

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  learners: number;
  answersPerLearner: number;
  /** Lines sent by the concurrent learners: answers plus the odd /quiz, /streak, /leaderboard. */
  requests: number;
  answers: number;
  wallMs: number;
  answersPerSecond: number;
  /** Handling time of each /answer while every learner was in flight, in milliseconds. */
  answerLatency: Latency;
  /** The same for the lines mixed in, by command: "/quiz", "/streak", "/leaderboard". */
  otherLatency: Record<string, Latency>;
  /** One learner answering alone, one answer at a time: the yardstick for the ratios. */
  baseline: Latency;
  /** One-row inserts per second, each its own transaction, into a file with the bot's pragmas: the yardstick for throughput. */
  rawInsertsPerSecond: number;
  /** Answers the bot acknowledged (right or not right), baseline included; each must be stored once. */
  acknowledged: number;
  /** Commands counted by the metrics port during the concurrent phase, by outcome. */
  outcomes: Record<CommandOutcome, number>;
  errors: number;
  /** The first few errors, described, for the printout. */
  errorSamples: string[];
}

const COHORT = "load";
const NOW = "2026-04-15T10:00:00Z";
const COHORT_START = "2026-03-02";
const WARMUP_ANSWERS = 20;
const EXTRA_COMMANDS = ["/quiz", "/streak", "/leaderboard"] as const;
const SAMPLE_LIMIT = 10;

/** Counts what the core reports, as the Prometheus counters would in production. */
function countingMetrics(): Metrics & { outcomes: Record<CommandOutcome, number>; reset(): void } {
  const zero = (): Record<CommandOutcome, number> => ({
    ok: 0,
    invalid: 0,
    refused: 0,
    error: 0,
    draining: 0,
  });
  const metrics = {
    outcomes: zero(),
    reset() {
      metrics.outcomes = zero();
    },
    commandHandled(_command: string, outcome: CommandOutcome) {
      metrics.outcomes[outcome]++;
    },
    challengeGraded() {},
    postFinished() {},
    sendingChanged() {},
  };
  return metrics;
}

/** What a learner sends for an item, right or deliberately wrong: choices as a button sends them. */
function responseFor(item: QuizItem, right: boolean): string {
  switch (item.kind) {
    case "single": {
      const wrong = item.choices.find((c) => c.id !== item.answer)?.id ?? item.answer;
      return `key:${right ? item.answer : wrong}`;
    }
    case "multiple": {
      if (right) return `key:${item.answer.join(",")}`;
      const outsider = item.choices.find((c) => !item.answer.includes(c.id));
      // With every choice right, leaving one out is wrong.
      return `key:${outsider ? outsider.id : item.answer.slice(1).join(",")}`;
    }
    case "true-false":
      return String(right ? item.answer : !item.answer);
    case "short":
      return right ? (item.answer[0] ?? "") : "certainly not this";
  }
}

/** Roughly seven in ten answers are right, spread so neighbours differ. */
const answersRight = (learner: number, step: number) => (learner * 7 + step * 3) % 10 < 7;
/** About one line in ten before an answer is a /quiz, /streak or /leaderboard. */
const extraBefore = (learner: number, step: number) =>
  (learner + step) % 10 === 9 ? EXTRA_COMMANDS[(learner * 3 + step) % EXTRA_COMMANDS.length] : undefined;

const firstLine = (message: Message) => (message.text ?? "").split("\n")[0] ?? "";

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function latencyOf(times: readonly number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

interface Acknowledged {
  user: string;
  questionId: string;
  correct: boolean;
}

/** Sends lines as the terminal chat would and keeps score of what came back. */
class Harness {
  readonly errors: string[] = [];
  readonly acknowledged: Acknowledged[] = [];
  errorCount = 0;

  constructor(private readonly core: Core) {}

  fail(what: string): void {
    this.errorCount++;
    if (this.errors.length < SAMPLE_LIMIT) this.errors.push(what);
  }

  /** One line through the terminal-chat path, timed; undefined when it failed (already counted). */
  async send(line: string): Promise<{ reply: Message; ms: number } | undefined> {
    const started = performance.now();
    let reply: Message | undefined;
    try {
      reply = await replyTo(this.core, line);
    } catch (error) {
      this.fail(`${line}: threw ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const ms = performance.now() - started;
    if (!reply) {
      this.fail(`${line}: no reply`);
      return undefined;
    }
    if ((reply.text ?? "").includes("Something went wrong on our side")) {
      this.fail(`${line}: ${firstLine(reply)}`);
      return undefined;
    }
    return { reply, ms };
  }

  /** A line that must succeed, such as joining the cohort. */
  async expectOk(line: string): Promise<void> {
    const sent = await this.send(line);
    if (sent && sent.reply.tone === "error") this.fail(`${line}: ${firstLine(sent.reply)}`);
  }

  /** One answer; counts it as acknowledged only when the reply says right or not right as expected. */
  async answer(user: string, item: QuizItem, right: boolean): Promise<number | undefined> {
    const line = `@${user} /answer ${item.id} ${responseFor(item, right)}`;
    const sent = await this.send(line);
    if (!sent) return undefined;
    const saidRight = sent.reply.tone === "success" && firstLine(sent.reply).startsWith("Right!");
    const saidWrong = sent.reply.tone === "warning" && firstLine(sent.reply).startsWith("Not quite");
    if (!(right ? saidRight : saidWrong)) {
      this.fail(`${line}: unexpected reply "${firstLine(sent.reply)}"`);
      return sent.ms;
    }
    this.acknowledged.push({ user, questionId: item.id, correct: right });
    return sent.ms;
  }
}

/** Every acknowledged answer stored exactly once with its verdict, and nothing else stored. */
function checkStored(sqlite: Database.Database, harness: Harness): void {
  const rows = sqlite
    .prepare(
      `SELECT m.external_id AS user, a.question_id AS questionId, a.correct AS correct, count(*) AS n
       FROM answers a JOIN members m ON m.id = a.member_id
       GROUP BY m.external_id, a.question_id, a.correct`,
    )
    .all() as { user: string; questionId: string; correct: number; n: number }[];
  const stored = new Map(rows.map((r) => [`${r.user} ${r.questionId} ${r.correct === 1}`, r.n]));
  for (const a of harness.acknowledged) {
    const key = `${a.user} ${a.questionId} ${a.correct}`;
    const n = stored.get(key) ?? 0;
    if (n !== 1) harness.fail(`answer ${key}: stored ${n} times`);
    stored.delete(key);
  }
  for (const [key, n] of stored) harness.fail(`answer ${key}: stored ${n} times but never acknowledged`);
}

/** The aggregates kept answer by answer must equal the ones rebuilt from the ledger. */
function checkAggregates(database: OpenDatabase, harness: Harness): void {
  const { kept, rebuilt } = keptAndRebuiltAggregates(database.sqlite);
  for (const table of Object.keys(aggregateTables) as (keyof typeof aggregateTables)[]) {
    if (!isDeepStrictEqual(kept[table], rebuilt[table])) {
      harness.fail(`${table}: the kept aggregates differ from a rebuild from the ledger`);
    }
  }
}

/**
 * A real core on a real SQLite file (WAL), a cohort of learners joined by command, then every
 * learner answering at once through the terminal-chat path; checks the store afterwards.
 */
export async function runLoad(options: LoadOptions = {}): Promise<LoadReport> {
  const learners = options.learners ?? 200;
  const answersPerLearner = options.answersPerLearner ?? 15;
  const baselineAnswers = options.baselineAnswers ?? 100;
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
  const { curriculum } = loaded;
  const items = curriculum.bank.items;
  if (answersPerLearner > items.length || WARMUP_ANSWERS + baselineAnswers > items.length) {
    throw new Error(`a learner answers each of the ${items.length} questions at most once`);
  }

  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "quorum-load-"));
  const database = openDatabase(join(dir, "load.db"));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const metrics = countingMetrics();
    const gate = new WorkGate();
    const wired: Core = { ...commandCore(database, curriculum, fixedClock(NOW)), metrics, gate };
    const core = options.adjustCore ? options.adjustCore(wired) : wired;
    const harness = new Harness(core);
    const user = (n: number) => `learner${n}`;

    // The terminal's own user ("you") is the local moderator and creates the cohort.
    await harness.expectOk(`/cohort create ${COHORT} ${COHORT_START} UTC`);
    const trackIds = curriculum.tracks.map((t) => t.id);
    for (let n = 1; n <= learners; n++) {
      await harness.expectOk(`@${user(n)} /cohort join ${COHORT}`);
      // Two in three pick a track, so the track boards fill as well.
      const track = trackIds[n % trackIds.length];
      if (n % 3 !== 0 && track) await harness.expectOk(`@${user(n)} /track join ${track}`);
    }
    await harness.expectOk(`@solo /cohort join ${COHORT}`);

    // Baseline: one learner alone, each answer awaited before the next.
    const soloTimes: number[] = [];
    for (let i = 0; i < WARMUP_ANSWERS + baselineAnswers; i++) {
      const item = items[i];
      if (!item) break;
      const ms = await harness.answer("solo", item, answersRight(0, i));
      if (ms !== undefined && i >= WARMUP_ANSWERS) soloTimes.push(ms);
    }

    // Load: every learner's stream starts at once; each awaits its reply before its next line.
    metrics.reset();
    const answerTimes: number[] = [];
    const otherTimes = new Map<string, number[]>(EXTRA_COMMANDS.map((command) => [command, []]));
    let requests = 0;
    const stream = async (n: number) => {
      const first = (n * 37) % items.length;
      for (let step = 0; step < answersPerLearner; step++) {
        const extra = extraBefore(n, step);
        if (extra) {
          requests++;
          const line = `@${user(n)} ${extra}`;
          const sent = await harness.send(line);
          if (sent?.reply.tone === "error") harness.fail(`${line}: ${firstLine(sent.reply)}`);
          if (sent) otherTimes.get(extra)?.push(sent.ms);
        }
        const item = items[(first + step) % items.length];
        if (!item) continue;
        requests++;
        const ms = await harness.answer(user(n), item, answersRight(n, step));
        if (ms !== undefined) answerTimes.push(ms);
      }
    };
    const started = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: learners }, (_, i) => stream(i + 1)));
    const wallMs = performance.now() - started;
    for (const outcome of settled) {
      if (outcome.status === "rejected") harness.fail(`a learner's stream failed: ${String(outcome.reason)}`);
    }
    const outcomes = { ...metrics.outcomes };
    const counted = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
    if (counted !== requests) harness.fail(`metrics counted ${counted} commands for ${requests} sent`);

    if (!(await gate.close(10_000))) harness.fail("the work gate did not drain");
    checkStored(database.sqlite, harness);
    checkAggregates(database, harness);
    // Give any stray rejection its turn to be reported before counting them.
    await new Promise((resolve) => setImmediate(resolve));
    for (const reason of unhandled) harness.fail(`unhandled rejection: ${String(reason)}`);

    const answers = learners * answersPerLearner;
    const rawInsertsPerSecond = rawInsertRate(join(dir, "raw.db"));
    return {
      learners,
      answersPerLearner,
      requests,
      answers,
      wallMs,
      answersPerSecond: answers / (wallMs / 1000),
      answerLatency: latencyOf(answerTimes),
      otherLatency: Object.fromEntries(
        [...otherTimes].map(([command, times]) => [command, latencyOf(times)]),
      ),
      baseline: latencyOf(soloTimes),
      rawInsertsPerSecond,
      acknowledged: harness.acknowledged.length,
      outcomes,
      errors: harness.errorCount,
      errorSamples: harness.errors,
    };
  } finally {
    process.off("unhandledRejection", onUnhandled);
    database.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** How many one-row inserts per second SQLite takes here, each in its own transaction, with the bot's pragmas. */
function rawInsertRate(path: string): number {
  const raw = openDatabase(path);
  try {
    raw.sqlite.exec(
      "CREATE TABLE raw (id INTEGER PRIMARY KEY, learner INTEGER NOT NULL, item TEXT NOT NULL, at INTEGER NOT NULL)",
    );
    const insert = raw.sqlite.prepare("INSERT INTO raw (learner, item, at) VALUES (?, ?, ?)");
    for (let i = 0; i < 200; i++) insert.run(i, `w01-q${i}`, i);
    const count = 5_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) insert.run(i, `w01-q${i}`, i);
    return count / ((performance.now() - started) / 1000);
  } finally {
    raw.close();
  }
}

const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`;

export function printLoad(report: LoadReport): void {
  const base = report.baseline.p50;
  const ratio = (n: number) => `${(n / base).toFixed(1).padStart(7)}×`;
  const width = 48;
  console.log(
    `\nLoad: ${report.learners} concurrent learners answering through the terminal-chat path  (ratio = ÷ p50 of one learner alone, same run)`,
  );
  console.log(
    `  ${"baseline: one learner, one answer at a time".padEnd(width)} p50 ${ms(base)} ${ratio(base)}   (${report.baseline.count} answers)`,
  );
  const load = report.answerLatency;
  console.log(
    `  ${`${report.learners} learners at once (${report.answers.toLocaleString("en-US")} answers)`.padEnd(width)} p50 ${ms(load.p50)} ${ratio(load.p50)}   p99 ${ms(load.p99)} ${ratio(load.p99)}   max ${ms(load.max)}   ${Math.round(report.answersPerSecond).toLocaleString("en-US")} answers/s   errors ${report.errors}`,
  );
  for (const [command, other] of Object.entries(report.otherLatency)) {
    console.log(
      `  ${`  mixed in: ${command} (${other.count})`.padEnd(width)} p50 ${ms(other.p50)} ${ratio(other.p50)}   p99 ${ms(other.p99)} ${ratio(other.p99)}   max ${ms(other.max)}`,
    );
  }
  console.log(
    `  ${report.requests.toLocaleString("en-US")} requests in ${(report.wallMs / 1000).toFixed(1)} s; a request's time includes waiting for the others' work on the one event loop (pictures follow their text and are not counted).`,
  );
  console.log(
    `  ${"raw one-row inserts, one transaction each".padEnd(width)} ${Math.round(report.rawInsertsPerSecond).toLocaleString("en-US")} inserts/s; answers under load at 1/${Math.round(report.rawInsertsPerSecond / report.answersPerSecond)} of that`,
  );
  if (report.errors > 0) {
    console.log(`  ${report.errors} errors, first ones:`);
    for (const sample of report.errorSamples) console.log(`    ${sample}`);
  }
}

/** The load rows of the capacity goals (issue 17), as ratios from this run. */
export function recordLoadGoals(report: LoadReport): void {
  const base = report.baseline.p50;
  const times = (n: number) => `${n.toFixed(1)}×`;
  const boards = Math.max(
    report.otherLatency["/streak"]?.p99 ?? Number.NaN,
    report.otherLatency["/leaderboard"]?.p99 ?? Number.NaN,
  );
  recordGoal({
    name: `/streak and /leaderboard p99 under load (${report.learners} learners) ÷ lone learner's p50`,
    value: boards / base,
    target: 25,
    ok: boards / base <= 25,
    format: times,
    bound: "≤",
  });
  const answers = report.answerLatency.p99 / base;
  recordGoal({
    name: `answers p99 under load (${report.learners} learners) ÷ lone learner's p50`,
    value: answers,
    target: 25,
    ok: answers <= 25,
    format: times,
    bound: "≤",
  });
  const share = report.answersPerSecond / report.rawInsertsPerSecond;
  recordGoal({
    name: "answer throughput under load ÷ raw one-row insert rate",
    value: share,
    target: 1 / 20,
    ok: share >= 1 / 20,
    format: (n) => `1/${Math.round(1 / n)}`,
    bound: "≥",
  });
}
