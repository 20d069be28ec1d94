import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach } from "vitest";
import { commands } from "../src/core/commands/registry.js";
import type { Bank } from "../src/core/curriculum/bank.js";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import type { Core } from "../src/core/dispatch.js";
import { Grader } from "../src/core/grading/grader.js";
import type { Message } from "../src/core/messages.js";
import type { Clock } from "../src/core/ports/clock.js";
import type { Actor } from "../src/core/ports/identity.js";
import { silentLogger } from "../src/core/ports/logger.js";
import type { ChannelTarget, ChatOutbox, SendOutcome, UserTarget } from "../src/core/ports/outbox.js";
import { defaultLimits } from "../src/core/sandbox.js";
import { OutboundQueue } from "../src/core/schedules/outbound.js";
import { Scheduler } from "../src/core/schedules/scheduler.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { type OpenDatabase, openDatabase } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { createPictureRenderer } from "../src/pictures/resvg.js";
import { closeSandboxes, createSandboxes } from "../src/sandbox/sandboxes.js";
import { fixedClock } from "./fixed-clock.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh folder removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "quorum-test-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let curriculum: Curriculum | undefined;
export function realCurriculum(): Curriculum {
  if (!curriculum) {
    const result = loadCurriculum(defaultCurriculumDir);
    if (!result.ok) throw new Error(`curriculum does not load: ${JSON.stringify(result.errors.slice(0, 3))}`);
    curriculum = result.curriculum;
  }
  return curriculum;
}

/** A real SQLite file in a temp folder, migrated, closed after the test. */
export function tempDatabase(): OpenDatabase & { path: string } {
  const path = join(tempDir(), "quorum.db");
  const database = openDatabase(path);
  cleanups.push(() => database.close());
  return { ...database, path };
}

/** Records what the bot posts; `respond` decides each send's outcome (all succeed by default). */
export class RecordingOutbox implements ChatOutbox {
  readonly sent: { target: ChannelTarget; message: Message; key: string }[] = [];
  readonly notices: { target: UserTarget; message: Message }[] = [];
  respond: (target: ChannelTarget) => SendOutcome = () => ({ ok: true, messageId: `m${this.sent.length}` });

  async send(target: ChannelTarget, message: Message, key: string): Promise<SendOutcome> {
    const outcome = this.respond(target);
    if (outcome.ok) this.sent.push({ target, message, key });
    return outcome;
  }

  async notify(target: UserTarget, message: Message): Promise<SendOutcome> {
    this.notices.push({ target, message });
    return { ok: true, messageId: null };
  }

  titles(): string[] {
    return this.sent.map((s) => s.message.title ?? "");
  }
}

export interface TestCore {
  core: Core;
  clock: Clock & { set(at: Date | string): void };
  database: OpenDatabase & { path: string };
  scheduler: Scheduler;
  outbox: RecordingOutbox;
  /** Plans whatever is due at the clock's time and waits until it has been sent. */
  settle(): Promise<void>;
}

export interface TestCoreOptions {
  catchUpMs?: number;
  database?: OpenDatabase & { path: string };
  /** Replaces the curriculum's question bank (quiz items, challenges, datasets). */
  bank?: Bank;
  /** Replaces the real grader (and its sandboxes). */
  grader?: Core["grader"];
  /** Another process on the same database: its own owner of sending rights. */
  sending?: { owner: string; leaseMs: number };
}

export function testCore(now = "2026-03-04T10:00:00Z", options: TestCoreOptions = {}): TestCore {
  const curriculum = options.bank ? { ...realCurriculum(), bank: options.bank } : realCurriculum();
  const database = options.database ?? tempDatabase();
  const clock = fixedClock(now);
  const store = createStore(database.db);
  const outbox = new RecordingOutbox();
  const queue = new OutboundQueue({
    ratePerSecond: {},
    defaultRatePerSecond: 10_000,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onError: (error) => {
      throw error;
    },
  });
  const pictures = createPictureRenderer();
  cleanups.push(() => void pictures.close());
  const scheduler = new Scheduler({
    store,
    pictures,
    curriculum,
    clock,
    logger: silentLogger,
    queue,
    outboxes: { terminal: outbox },
    catchUpMs: options.catchUpMs ?? 24 * 3_600_000,
    ...(options.sending ? { sending: options.sending } : {}),
  });
  let grader = options.grader;
  if (!grader) {
    // Engines start only when a test submits to them, and stop after the test.
    const sandboxes = createSandboxes();
    cleanups.push(() => void closeSandboxes(sandboxes));
    grader = new Grader({
      sandboxes,
      datasets: curriculum.bank.datasets,
      limits: defaultLimits,
      logger: silentLogger,
    });
  }
  const core: Core = {
    curriculum,
    store,
    clock,
    logger: silentLogger,
    settings: { defaultTimezone: "UTC" },
    scheduler,
    grader,
    pictures,
    commands,
  };
  return {
    core,
    clock,
    database,
    scheduler,
    outbox,
    async settle() {
      await scheduler.tick();
      await queue.drain();
    },
  };
}

export function actor(user: string, overrides: Partial<Actor> = {}): Actor {
  return {
    platform: "terminal",
    spaceExternalId: "local",
    spaceName: "Test space",
    userExternalId: user,
    displayName: user,
    isModerator: user === "mod",
    channelExternalId: "general",
    ...overrides,
  };
}

/** Row counts of every table: equal before and after means nothing was written. */
export function tableCounts(database: OpenDatabase): Record<string, number> {
  const tables = database.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (database.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}

/** The event keys of the stored answers, oldest first, read from the bot's SQLite file. */
export function storedEventKeys(databasePath: string): (string | null)[] {
  const file = new Database(databasePath, { readonly: true });
  try {
    const rows = file.prepare("SELECT event_key AS key FROM answers ORDER BY id").all() as {
      key: string | null;
    }[];
    return rows.map((row) => row.key);
  } finally {
    file.close();
  }
}
