import type { Pool, PoolClient, QueryResultRow } from "pg";

/** A connection inside a transaction, or the pool for a single statement. */
export type Conn = Pick<PoolClient, "query">;

// Deadlock and serialization failures abort one of two transactions; it is safe to run it again.
const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_RUNS = 5;

/** Drizzle wraps the driver's error; its SQLSTATE code is on the error or on its cause. */
function isRetryable(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at && typeof at === "object" && depth < 3; depth++) {
    if (RETRYABLE.has(String((at as { code?: unknown }).code))) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `work` in one transaction on one connection of the pool: all or nothing, run again on a
 * deadlock. `work` must do nothing outside the database that a second run would repeat.
 */
export async function transaction<T>(pool: Pool, work: (conn: PoolClient) => Promise<T>): Promise<T> {
  for (let run = 1; ; run++) {
    const conn = await pool.connect();
    let broken: Error | undefined;
    try {
      await conn.query("BEGIN");
      const result = await work(conn);
      await conn.query("COMMIT");
      return result;
    } catch (error) {
      await conn.query("ROLLBACK").catch((rollback: Error) => {
        broken = rollback;
      });
      if (run < MAX_RUNS && isRetryable(error)) continue;
      throw error;
    } finally {
      // A connection that cannot even roll back is dropped, not handed to the next caller.
      conn.release(broken);
    }
  }
}

/** Runs one statement, prepared once per connection under `name` when given; returns how many rows it changed. */
export async function execute(
  conn: Conn,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<number> {
  const result = await conn.query(name ? { name, text, values } : { text, values });
  return result.rowCount ?? 0;
}

/** The rows of one statement, prepared once per connection under `name` when given. */
export async function rows<R extends QueryResultRow>(
  conn: Conn,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<R[]> {
  const result = await conn.query<R>(name ? { name, text, values } : { text, values });
  return result.rows;
}

/** The first row of one statement, if any. */
export async function row<R extends QueryResultRow>(
  conn: Conn,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<R | undefined> {
  return (await rows<R>(conn, text, values, name))[0];
}
