/**
 * What the chat cannot do, done straight in the bot's database: a link's expiry moved into the past,
 * and a cohort of another space (the terminal chat speaks only for its own).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { hashToken } from "../../../src/core/services/web-access.js";
import type { DashboardBot } from "./bot.js";

/** A link's expiry is moved back by this: past its issue time, well within the day links are kept for. */
const EXPIRE_BY_MS = 16 * 60_000;

async function onDatabase<T>(
  bot: DashboardBot,
  sqlite: (db: Database.Database) => T,
  postgres: (client: pg.Client) => Promise<T>,
): Promise<T> {
  if (bot.database.kind === "sqlite") {
    const db = new Database(bot.database.path);
    try {
      // The bot writes the same file; wait for its transaction rather than fail.
      db.pragma("busy_timeout = 5000");
      return sqlite(db);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: bot.database.url });
  await client.connect();
  try {
    return await postgres(client);
  } finally {
    await client.end();
  }
}

/** Makes the link `/dashboard` printed expire: its stored expiry goes back 16 minutes, before it was issued. */
export async function expireLink(bot: DashboardBot, link: string): Promise<void> {
  const token = link.slice(link.lastIndexOf("/") + 1);
  const tokenHash = await hashToken(token);
  const changed = await onDatabase(
    bot,
    (db) =>
      db
        .prepare("UPDATE web_links SET expires_at = expires_at - ? WHERE token_hash = ?")
        .run(EXPIRE_BY_MS, tokenHash).changes,
    async (client) =>
      (
        await client.query(
          "UPDATE web_links SET expires_at = expires_at - make_interval(secs => $1) WHERE token_hash = $2",
          [EXPIRE_BY_MS / 1000, tokenHash],
        )
      ).rowCount ?? 0,
  );
  if (changed !== 1) throw new Error(`No stored link for ${link}`);
}

/** A second space with a cohort of its own; resolves with the cohort's id. */
export async function addCohortOfAnotherSpace(bot: DashboardBot, name: string): Promise<number> {
  const now = Date.now();
  return onDatabase(
    bot,
    (db) => {
      const space = db
        .prepare(
          "INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', 'elsewhere', 'Elsewhere', ?) RETURNING id",
        )
        .get(now) as { id: number };
      const cohort = db
        .prepare(
          `INSERT INTO cohorts (space_id, name, name_key, start_date, timezone, created_at)
           VALUES (?, ?, ?, '2026-03-02', 'UTC', ?) RETURNING id`,
        )
        .get(space.id, name, name.toLowerCase(), now) as { id: number };
      return cohort.id;
    },
    async (client) => {
      const space = await client.query<{ id: number }>(
        "INSERT INTO spaces (platform, external_id, name, created_at) VALUES ('terminal', 'elsewhere', 'Elsewhere', now()) RETURNING id",
      );
      const cohort = await client.query<{ id: number }>(
        `INSERT INTO cohorts (space_id, name, name_key, start_date, timezone, created_at)
         VALUES ($1, $2, $3, '2026-03-02', 'UTC', now()) RETURNING id`,
        [space.rows[0]?.id, name, name.toLowerCase()],
      );
      const id = cohort.rows[0]?.id;
      if (id === undefined) throw new Error("The cohort of another space was not inserted");
      return id;
    },
  );
}

/** Every stored schedule as one line each, to show a refused form wrote nothing anywhere. */
export async function storedSchedules(bot: DashboardBot): Promise<string[]> {
  const query = "SELECT cohort_id, kind, spec, timezone, paused_at FROM schedules ORDER BY id";
  type Row = { cohort_id: number; kind: string; spec: string; timezone: string; paused_at: unknown };
  const line = (row: Row) =>
    `${row.cohort_id} ${row.kind} ${row.spec} ${row.timezone} ${row.paused_at === null ? "running" : "paused"}`;
  return onDatabase(
    bot,
    (db) => (db.prepare(query).all() as Row[]).map(line),
    async (client) => (await client.query<Row>(query)).rows.map(line),
  );
}

/** The id of the bot's own cohort called `name` (the chat never shows ids). */
export async function cohortIdOf(bot: DashboardBot, name: string): Promise<number> {
  const id = await onDatabase(
    bot,
    (db) => (db.prepare("SELECT id FROM cohorts WHERE name = ?").get(name) as { id: number } | undefined)?.id,
    async (client) =>
      (await client.query<{ id: number }>("SELECT id FROM cohorts WHERE name = $1", [name])).rows[0]?.id,
  );
  if (id === undefined) throw new Error(`No cohort ${name}`);
  return id;
}
