import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDatabase, tempDir } from "../../test/helpers.js";
import type { Logger } from "../core/ports/logger.js";
import { backupFileName, checkBackup } from "../db/backup.js";
import { nextBackupAt, startDailyBackups } from "./backups.js";

describe("nextBackupAt", () => {
  const next = (now: string, at: string) => nextBackupAt(new Date(now), at).toISOString();

  it("given a time later today, is today at that time", () => {
    expect(next("2026-03-04T01:30:00Z", "03:00")).toBe("2026-03-04T03:00:00.000Z");
  });

  it("given exactly the time or later, is tomorrow", () => {
    expect(next("2026-03-04T03:00:00Z", "03:00")).toBe("2026-03-05T03:00:00.000Z");
    expect(next("2026-03-04T03:00:00.001Z", "03:00")).toBe("2026-03-05T03:00:00.000Z");
    expect(next("2026-03-04T22:10:00Z", "03:00")).toBe("2026-03-05T03:00:00.000Z");
  });

  it("given the last moments of a month or a year, rolls over to the next", () => {
    expect(next("2026-02-28T23:59:30Z", "00:00")).toBe("2026-03-01T00:00:00.000Z");
    expect(next("2026-12-31T23:45:00Z", "23:30")).toBe("2027-01-01T23:30:00.000Z");
  });

  it("is in UTC, whatever zone the instant was written in", () => {
    // 04:30 in Berlin is 02:30 UTC: the UTC backup time is still ahead today.
    expect(next("2026-03-04T04:30:00+02:00", "03:00")).toBe("2026-03-04T03:00:00.000Z");
  });

  it("given a time not written as HH:MM, throws", () => {
    expect(() => nextBackupAt(new Date(), "3:00")).toThrow(/HH:MM/);
    expect(() => nextBackupAt(new Date(), "24:00")).toThrow(/HH:MM/);
  });
});

interface Entry {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

/** Keeps every log line; `next(message)` resolves with the first not yet taken. */
function recordingLogger() {
  const entries: Entry[] = [];
  const taken = new Set<Entry>();
  const waiting: { message: string; resolve: (entry: Entry) => void }[] = [];
  const deliver = () => {
    for (const waiter of [...waiting]) {
      const entry = entries.find((e) => e.message === waiter.message && !taken.has(e));
      if (!entry) continue;
      taken.add(entry);
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  };
  const record =
    (level: string) =>
    (fields: object, message: string): void => {
      entries.push({ level, fields: fields as Record<string, unknown>, message });
      deliver();
    };
  const logger: Logger = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  return {
    logger,
    entries,
    next(message: string): Promise<Entry> {
      return new Promise((resolve) => {
        waiting.push({ message, resolve });
        deliver();
      });
    },
  };
}

/** A clock that starts at `start` and runs at real speed, so the real timer reaches the backup time. */
function clockFrom(start: string): () => Date {
  const offset = new Date(start).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

function oldBackups(dir: string, days: number[]): string[] {
  return days.map((day) => {
    const name = backupFileName(new Date(Date.UTC(2026, 2, day, 3, 0, 0)));
    writeFileSync(join(dir, name), "an old backup");
    return name;
  });
}

describe("startDailyBackups", () => {
  it("given the daily time comes, backs up into the folder, keeps the newest and schedules the next day", async () => {
    const database = tempDatabase();
    const dir = tempDir();
    const [, , newestOld] = oldBackups(dir, [1, 2, 3]);
    const log = recordingLogger();
    const firstScheduled = log.next("daily backup scheduled");
    const backups = startDailyBackups({
      source: database.sqlite,
      dir,
      dailyAt: "03:00",
      keep: 2,
      now: clockFrom("2026-03-04T02:59:59.950Z"),
      logger: log.logger,
    });
    try {
      expect((await firstScheduled).fields).toEqual({ at: "2026-03-04T03:00:00.000Z" });
      const written = await log.next("daily backup written");
      const path = String(written.fields.path);
      expect(path).toMatch(/quorum-20260304-0300\d\d\.db$/);
      expect(checkBackup(path).ok).toBe(true);
      expect(readdirSync(dir).sort()).toEqual([newestOld, path.slice(dir.length + 1)].sort());
      expect((await log.next("daily backup scheduled")).fields).toEqual({ at: "2026-03-05T03:00:00.000Z" });
    } finally {
      await backups.stop();
    }
  });

  it("given a backup that fails, logs why, deletes no older backup and tries again the next day", async () => {
    const dir = tempDir();
    const old = oldBackups(dir, [1, 2, 3]);
    const log = recordingLogger();
    const backups = startDailyBackups({
      source: join(tempDir(), "gone.db"),
      dir,
      dailyAt: "03:00",
      keep: 1,
      now: clockFrom("2026-03-04T02:59:59.950Z"),
      logger: log.logger,
    });
    try {
      await log.next("daily backup scheduled");
      const failed = await log.next("daily backup failed");
      expect(failed.level).toBe("error");
      expect(String(failed.fields.err)).toMatch(/no database at .*gone\.db/);
      expect((await log.next("daily backup scheduled")).fields).toEqual({ at: "2026-03-05T03:00:00.000Z" });
      expect(readdirSync(dir).sort()).toEqual(old);
    } finally {
      await backups.stop();
    }
  });

  it("given runNow twice at once, takes one backup and both get its outcome", async () => {
    const database = tempDatabase();
    const dir = tempDir();
    const backups = startDailyBackups({
      source: database.sqlite,
      dir,
      dailyAt: "03:00",
      keep: 7,
      now: () => new Date("2026-03-04T12:00:00Z"),
      logger: recordingLogger().logger,
    });
    const [first, second] = await Promise.all([backups.runNow(), backups.runNow()]);
    await backups.stop();
    expect(first.ok).toBe(true);
    expect(second).toBe(first);
    expect(readdirSync(dir)).toEqual(["quorum-20260304-120000.db"]);
  });

  it("given stop while a backup runs, resolves once that backup has finished", async () => {
    const database = tempDatabase();
    const backups = startDailyBackups({
      source: database.sqlite,
      dir: tempDir(),
      dailyAt: "03:00",
      keep: 7,
      now: () => new Date("2026-03-04T12:00:00Z"),
      logger: recordingLogger().logger,
    });
    let finished = false;
    void backups.runNow().then(() => {
      finished = true;
    });
    await backups.stop();
    expect(finished).toBe(true);
  });
});
