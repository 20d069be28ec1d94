import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { defaultCurriculumDir } from "../paths.js";
import type { Parsed } from "./fields.js";
import { optional } from "./fields.js";

const isPostgresUrl = (text: string) => {
  try {
    const url = new URL(text);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
};

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The database, the curriculum and the files the bot writes. */
export const storageEnv = {
  DATABASE_PATH: z
    .string()
    .trim()
    .min(1, "must be a file path, e.g. ./data/quorum.db")
    .default("./data/quorum.db")
    .refine((path) => !path.includes("\0"), { error: "must not contain a NUL character", abort: true })
    .refine((path) => path === ":memory:" || !/[/\\]$/.test(path), {
      error: "must name a file, not a folder (e.g. ./data/quorum.db)",
      abort: true,
    })
    .refine(
      (path) => path === ":memory:" || !isDirectory(path),
      "is a folder; name a file inside it, e.g. ./data/quorum.db",
    ),
  DATABASE_URL: optional(
    z.string().trim().refine(isPostgresUrl, {
      error: "must be a PostgreSQL URL, e.g. postgres://quorum:secret@db.internal:5432/quorum",
    }),
  ),
  FILES_DIR: z
    .string()
    .trim()
    .min(1, "must be a folder path, e.g. ./data/files")
    .optional()
    .describe("where the terminal chat writes pictures and exports (default: files/ beside the database)"),
  CURRICULUM_DIR: z
    .string()
    .trim()
    .default(defaultCurriculumDir)
    .refine(isDirectory, "must be a folder holding roadmap.yaml, tracks.yaml, projects.yaml and weeks/"),
};

/** Backups of the database. */
export const backupEnv = {
  BACKUP_DIR: z.string().trim().min(1, "must be a folder path, e.g. ./data/backups").optional(),
  BACKUP_DAILY_AT: optional(
    z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a UTC time of day as HH:MM, e.g. 03:00"),
  ),
  BACKUP_KEEP: z.coerce
    .number({ error: "must be a number of backups, e.g. 7" })
    .int("must be a whole number of backups")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .default(7),
};

export interface StorageConfig {
  databasePath: string;
  /** PostgreSQL as the shared store of several processes; unset means SQLite at `databasePath`. */
  databaseUrl: string | undefined;
  /** Where the terminal chat writes pictures and exports. */
  filesDir: string;
  curriculumDir: string;
  backup: {
    /** Where `npm run db:backup` (no path given) and the daily backup write. */
    dir: string;
    /** UTC time of day (HH:MM) for the daily backup; unset means no daily backup. */
    dailyAt: string | undefined;
    /** Daily backups kept; older ones are deleted after each new one. */
    keep: number;
  };
}

/** Paths are resolved here; files and backups sit beside the database unless told otherwise. */
export function storageConfig(e: Parsed<typeof storageEnv> & Parsed<typeof backupEnv>): StorageConfig {
  return {
    databasePath: e.DATABASE_PATH === ":memory:" ? e.DATABASE_PATH : resolve(e.DATABASE_PATH),
    databaseUrl: e.DATABASE_URL,
    curriculumDir: resolve(e.CURRICULUM_DIR),
    filesDir: resolve(
      e.FILES_DIR ??
        (e.DATABASE_PATH === ":memory:"
          ? join(tmpdir(), "quorum-files")
          : join(dirname(e.DATABASE_PATH), "files")),
    ),
    backup: {
      dir: resolve(
        e.BACKUP_DIR ??
          (e.DATABASE_PATH === ":memory:"
            ? join(tmpdir(), "quorum-backups")
            : join(dirname(e.DATABASE_PATH), "backups")),
      ),
      dailyAt: e.BACKUP_DAILY_AT,
      keep: e.BACKUP_KEEP,
    },
  };
}
