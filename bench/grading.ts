import type { Challenge } from "../src/core/curriculum/bank.js";
import { Grader } from "../src/core/grading/grader.js";
import { silentLogger } from "../src/core/ports/logger.js";
import { defaultLimits, type Engine, engines, type Sandbox } from "../src/core/sandbox.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { checkSubmission, loadPolicy } from "../src/sandbox/postgres/policy.js";
import { closeSandboxes, createSandboxes } from "../src/sandbox/sandboxes.js";
import { recordGoal } from "./goals.js";
import { type BenchOptions, measure } from "./measure.js";
import { transportRoundTrips } from "./transport.js";

/**
 * Grading median ÷ JSON baseline per engine with the sandboxes on worker threads, before the child-process
 * pool: measured 2026-12-07 on this machine with the old code, as benchGrading measures now (80 rounds),
 * median of three runs. Issue 15 compares today's ratios to these.
 */
const RATIO_BEFORE_CHILD_PROCESSES: Record<Engine, number> = {
  sqlite: 12.6,
  postgres: 37.3,
  mongodb: 20.3,
  redis: 4.9,
};
/** Issue 15, "Sandboxes that hold": grading may be at most this many times slower than before. */
const MAX_SLOWDOWN = 2;

/** The CPU baseline the "before" ratios were measured against: JSON.parse of a 200-row result set. */
const RESULT_SET = JSON.stringify({
  columns: ["a", "b", "c", "d", "e"],
  rows: Array.from({ length: 200 }, (_, i) => [i, `name ${i}`, i * 1.5, i % 2 === 0, null]),
});

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The median time the PostgreSQL policy takes on one of the bank's solutions, after a warm-up. */
async function policyCost(mine: Challenge[]): Promise<number> {
  await loadPolicy();
  const check = (c: Challenge) => checkSubmission(c.solution, { allowWrites: c.writes, maxStatements: 50 });
  for (let i = 0; i < 20; i++) for (const c of mine) check(c);
  const times: number[] = [];
  for (const c of mine)
    times.push((await measure(() => check(c), { batches: 5, perBatch: 20, warmup: 5 })).perOpMs);
  times.sort((a, b) => a - b);
  return quantile(times, 0.5);
}

async function jsonBaseline(): Promise<number> {
  return (await measure(() => JSON.parse(RESULT_SET), { perBatch: 500, batches: 9 })).perOpMs;
}

/** Sorted grading times, or why not: timing an engine that fails its own solutions would mislead. */
type Timed = { times: number[] } | { why: string };

/** Each challenge's own solution graded round-robin after a warm-up, as the "before" figures were. */
async function gradingTimes(grader: Grader, mine: Challenge[], rounds: number): Promise<Timed> {
  const grade = async (challenge: Challenge): Promise<string | undefined> => {
    const graded = await grader.grade(challenge, challenge.solution);
    return graded.verdict === "pass"
      ? undefined
      : `${challenge.id} graded ${graded.verdict}: ${graded.feedback}`;
  };
  try {
    // Warm: start the engine and cache each reference once.
    for (const challenge of mine) {
      const why = await grade(challenge);
      if (why) return { why };
    }
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const challenge = mine[i % mine.length];
      if (!challenge) continue;
      const start = performance.now();
      const why = await grade(challenge);
      times.push(performance.now() - start);
      if (why) return { why };
    }
    return { times: times.sort((a, b) => a - b) };
  } catch (error) {
    return { why: `threw ${error instanceof Error ? error.message : String(error)}` };
  }
}

const timesBefore = (n: number) => `${Number(n.toFixed(2))}× before`;

/** Grading time per engine against a baseline of the same run and issue 15's "before"; what cloned datasets save. */
export async function benchGrading({ quick }: BenchOptions): Promise<void> {
  const rounds = quick ? 20 : 80;
  const datasetRounds = quick ? 10 : 20;
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load");
  const { challenges, datasets } = loaded.curriculum.bank;
  const sandboxes = createSandboxes();
  const grader = new Grader({ sandboxes, datasets, limits: defaultLimits, logger: silentLogger });
  try {
    // The baseline is noisy: measured before, between and after the engines, and the median used.
    const baselines = [await jsonBaseline()];
    const results = new Map<Engine, Timed>();
    for (const engine of engines) {
      if (results.size === engines.length / 2) baselines.push(await jsonBaseline());
      const mine = challenges.filter((c) => c.engine === engine);
      results.set(
        engine,
        mine.length === 0 ? { why: "no challenges" } : await gradingTimes(grader, mine, rounds),
      );
    }
    baselines.push(await jsonBaseline());
    const sortedBaselines = [...baselines].sort((a, b) => a - b);
    const baseline = quantile(sortedBaselines, 0.5);
    // Part of why grading may have slowed: what moving from worker threads to child processes costs per message.
    const transport = await transportRoundTrips(JSON.parse(RESULT_SET));

    console.log(
      `\nGrading: a solution submitted and graded (learner run + cached reference), ${rounds} rounds per engine` +
        `${quick ? " (quick run: 80 in the full run)" : ""}  (ratio = median ÷ baseline, same run)`,
    );
    console.log(
      `  baseline: JSON.parse of a 200-row result set  ${baseline.toFixed(4)} ms/op  (median of ${baselines.map((b) => b.toFixed(4)).join(", ")})`,
    );
    let short = false;
    for (const engine of engines) {
      const result = results.get(engine);
      const before = RATIO_BEFORE_CHILD_PROCESSES[engine];
      let slowdown = Number.NaN;
      if (!result || "why" in result) {
        console.log(`  ${engine.padEnd(9)} not measured: ${result?.why ?? "not run"}`);
      } else {
        const median = quantile(result.times, 0.5);
        const ratio = median / baseline;
        slowdown = ratio / before;
        const count = challenges.filter((c) => c.engine === engine).length;
        console.log(
          `  ${engine.padEnd(9)} median ${median.toFixed(2).padStart(6)} ms   p95 ${quantile(result.times, 0.95).toFixed(1).padStart(6)} ms   ${`(${count} challenges)`.padEnd(16)}   ` +
            `ratio ${ratio.toFixed(1).padStart(5)}×   before ${before.toFixed(1).padStart(5)}×   ${timesBefore(slowdown)}`,
        );
      }
      const ok = slowdown <= MAX_SLOWDOWN;
      short ||= !ok;
      recordGoal({
        name: `grading median ${engine}`,
        value: slowdown,
        target: MAX_SLOWDOWN,
        ok,
        format: timesBefore,
        bound: "≤",
      });
    }
    const x = (ms: number) => `${ms.toFixed(3)} ms (${(ms / baseline).toFixed(1)}×)`;
    console.log(
      `  ${short ? "why, in part" : "transport"}: one round trip of a 200-row result costs ${x(transport.workerMs)} ` +
        `to a worker thread, ${x(transport.childMs)} to a child process over IPC; each graded attempt makes at least one`,
    );
    const policy = await policyCost(challenges.filter((c) => c.engine === "postgres"));
    console.log(
      `  ${short ? "why, in part" : "policy"}: PostgreSQL's parser checks each submission in the bot before any engine: ` +
        `${x(policy)} per solution (median over the bank's PostgreSQL solutions, warm)`,
    );

    console.log("\nDatasets: an attempt on a cloned dataset vs one rebuilt from its setup (same run)");
    for (const engine of engines) {
      const dataset = datasets.find((d) => d.engine === engine);
      const challenge = challenges.find((c) => c.engine === engine);
      const sandbox: Sandbox | undefined = sandboxes[engine as Engine];
      if (!dataset || !challenge || !sandbox) continue;
      const request = (id: string) => ({
        dataset: { id, engine, setup: dataset.setup },
        query: challenge.solution,
        allowWrites: challenge.writes,
        ...(challenge.check === undefined ? {} : { check: challenge.check }),
      });
      await sandbox.run(request(dataset.id), defaultLimits);
      const cloned: number[] = [];
      const rebuilt: number[] = [];
      for (let i = 0; i < datasetRounds; i++) {
        cloned.push(await timeIt(() => sandbox.run(request(dataset.id), defaultLimits)));
        // A new id is a dataset the sandbox has never built: it must run the setup.
        rebuilt.push(await timeIt(() => sandbox.run(request(`${dataset.id}-fresh-${i}`), defaultLimits)));
      }
      cloned.sort((a, b) => a - b);
      rebuilt.sort((a, b) => a - b);
      const c = quantile(cloned, 0.5);
      const r = quantile(rebuilt, 0.5);
      console.log(
        `  ${engine.padEnd(9)} cloned ${c.toFixed(1).padStart(6)} ms   rebuilt ${r.toFixed(1).padStart(6)} ms   rebuilt ÷ cloned ${(r / c).toFixed(2)}×`,
      );
    }
  } finally {
    await closeSandboxes(sandboxes);
  }
}
