import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { commands } from "../src/core/commands/registry.js";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import { type Core, handleText } from "../src/core/dispatch.js";
import type { Actor } from "../src/core/ports/identity.js";
import { silentLogger } from "../src/core/ports/logger.js";
import type { ChatOutbox } from "../src/core/ports/outbox.js";
import type { Store } from "../src/core/ports/store.js";
import { OutboundQueue } from "../src/core/schedules/outbound.js";
import { Scheduler } from "../src/core/schedules/scheduler.js";
import { defaultModuleSchedule } from "../src/core/schedules/timeline.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openDatabase } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { createPictureRenderer } from "../src/pictures/resvg.js";
import { fixedClock } from "../test/fixed-clock.js";
import { printGoals, recordGoal } from "./goals.js";
import { type BenchOptions, printTable } from "./measure.js";

const RATE_LIMIT = 2_000;
/** 20 s into the minute every bench cohort's first post is due (09:00 UTC on its start date). */
const CLOCK = "2026-03-02T09:00:20Z";
const MODERATOR: Actor = {
  platform: "discord",
  spaceExternalId: "bench",
  spaceName: "bench",
  userExternalId: "mod",
  displayName: "mod",
  isModerator: true,
};

/** The SQLite planning figures of this run, for bench/postgres.ts to print PostgreSQL's beside. */
export interface PlanningFigures {
  cohortCount: number;
  /** As many one-row SQLite inserts, 500 per transaction: the planning baseline. */
  baselineMs: number;
  planMs: number;
  claimed: number;
}

/** `count` cohorts in one space, all starting the same day, so all are due in the same minute. */
export async function createDueCohorts(store: Store, count: number): Promise<void> {
  const created = new Date("2026-03-01T12:00:00Z");
  const { space, member } = await store.identities.ensure(MODERATOR, created);
  for (let i = 0; i < count; i++) {
    await store.cohorts.create({
      spaceId: space.id,
      name: `c${i}`,
      startDate: "2026-03-02",
      timezone: "UTC",
      channelExternalId: `channel-${i}`,
      createdBy: member.id,
      at: created,
      moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC", created),
    });
  }
}

/** The scheduler as the bot wires it, at CLOCK, sending to an outbox that only notes when each send happened. */
export function benchScheduler(store: Store, curriculum: Curriculum) {
  const sentAt: number[] = [];
  const outbox: ChatOutbox = {
    async send() {
      sentAt.push(performance.now());
      return { ok: true, messageId: null };
    },
    async notify() {
      return { ok: true, messageId: null };
    },
  };
  const queue = new OutboundQueue({
    ratePerSecond: { discord: RATE_LIMIT },
    defaultRatePerSecond: RATE_LIMIT,
    concurrency: 16,
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onError: (error) => {
      throw error;
    },
  });
  const clock = fixedClock(CLOCK);
  const pictures = createPictureRenderer();
  const scheduler = new Scheduler({
    store,
    pictures,
    curriculum,
    clock,
    logger: silentLogger,
    queue,
    outboxes: { discord: outbox },
    catchUpMs: 86_400_000,
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
  });
  return { scheduler, queue, sentAt, clock, pictures };
}

/** 10,000 cohorts (quick: 2,000) due in the same minute: planning, command latency meanwhile, and send rate. */
export async function benchSchedule({ quick }: BenchOptions): Promise<PlanningFigures> {
  const cohortCount = quick ? 2_000 : 10_000;
  const cohorts = cohortCount.toLocaleString("en");
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-schedule-"));
  try {
    const database = openDatabase(join(dir, "bench.db"));
    const loaded = loadCurriculum(defaultCurriculumDir);
    if (!loaded.ok) throw new Error("curriculum does not load");
    const store = createStore(database.db);
    database.sqlite.exec("BEGIN");
    await createDueCohorts(store, cohortCount);
    database.sqlite.exec("COMMIT");

    // Baseline: the same number of one-row inserts, one transaction per 500 (the planner claims 100 per transaction).
    database.sqlite.exec("CREATE TABLE baseline (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const insert = database.sqlite.prepare("INSERT INTO baseline (v) VALUES (?)");
    const baselineStart = performance.now();
    for (let i = 0; i < cohortCount; i += 500) {
      database.sqlite.transaction(() => {
        for (let j = 0; j < 500; j++) insert.run("x");
      })();
    }
    const baselineMs = performance.now() - baselineStart;

    const { scheduler, queue, sentAt, clock, pictures } = benchScheduler(store, loaded.curriculum);
    const core: Core = {
      curriculum: loaded.curriculum,
      store,
      clock,
      logger: silentLogger,
      settings: { defaultTimezone: "UTC" },
      scheduler,
      // These benchmarks submit nothing; grading has its own figures.
      grader: { grade: async () => ({ verdict: "unavailable", feedback: "" }) },
      pictures,
      commands,
    };

    // A learner keeps asking for the roadmap while the scheduler plans: how long do they wait?
    const latencies: number[] = [];
    let planning = true;
    const learner = (async () => {
      while (planning) {
        const start = performance.now();
        await handleText(core, { ...MODERATOR, userExternalId: "learner", isModerator: false }, "/roadmap");
        latencies.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const planStart = performance.now();
    const report = await scheduler.tick();
    const planMs = performance.now() - planStart;
    planning = false;
    loop.disable();
    await learner;

    const drainStart = performance.now();
    await queue.drain();
    const drainMs = performance.now() - drainStart;

    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
    printTable(
      `Scheduler: ${cohorts} cohorts due in one minute${quick ? " (quick run: 10,000 in the full run)" : ""}`,
      `${cohorts} one-row inserts`,
      [
        { name: `baseline: ${cohorts} one-row inserts (500 per txn)`, perOpMs: baselineMs, ratio: 1 },
        {
          name: `plan + claim + enqueue (${report.claimed} posts)`,
          perOpMs: planMs,
          ratio: planMs / baselineMs,
        },
      ],
    );
    const planRatio = planMs / baselineMs;
    recordGoal({
      name: `${cohorts} cohorts due in one minute: plan + claim + enqueue ÷ as many inserts`,
      value: planRatio,
      target: 50,
      ok: planRatio <= 50,
      format: (n) => `${n.toFixed(1)}×`,
      bound: "≤",
    });
    const delayMs = loop.max / 1e6;
    recordGoal({
      name: "event-loop delay while planning those cohorts",
      value: delayMs,
      target: 50,
      ok: delayMs <= 50,
      format: (n) => `${n.toFixed(1)} ms`,
      bound: "≤",
    });
    console.log(
      `  while planning: /roadmap answered ${latencies.length} times, p50 ${p(0.5).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; event-loop delay max ${(loop.max / 1e6).toFixed(1)} ms`,
    );

    let maxWindow = 0;
    for (let i = 0, j = 0; i < sentAt.length; i++) {
      while ((sentAt[j] ?? Number.POSITIVE_INFINITY) < (sentAt[i] ?? 0) + 1000) j++;
      maxWindow = Math.max(maxWindow, j - i);
    }
    const average = sentAt.length / (((sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0)) / 1000);
    console.log(
      `  send rate: limit ${RATE_LIMIT}/s; average ${average.toFixed(0)}/s (${(average / RATE_LIMIT).toFixed(2)}× the limit), busiest 1 s window ${maxWindow} sends (${(maxWindow / RATE_LIMIT).toFixed(2)}× the limit); ${sentAt.length} sent in ${(drainMs / 1000).toFixed(1)} s`,
    );
    database.close();
    return { cohortCount, baselineMs, planMs, claimed: report.claimed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runnable on its own (npx tsx bench/schedule.ts [--quick]) as well as from bench/index.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchSchedule({ quick: process.argv.includes("--quick") });
  printGoals();
}
