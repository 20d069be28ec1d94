import type pg from "pg";

/** Whether the server answers a query: resolves when it does, rejects with the driver's reason when not. */
export async function pingPostgres(pool: pg.Pool): Promise<void> {
  await pool.query("SELECT 1");
}
