import type { Pool } from "pg";
import type { RequestStore } from "../../core/ports/requests.js";

/** Rows past their time are swept this often, by whichever call comes along. */
const SWEEP_EVERY_MS = 60_000;

/** Seen by any process: of two offering one key at once, the primary key lets one in. */
export function requestStore(pool: Pool): RequestStore {
  let sweptAt = 0;
  return {
    async firstTime(key, at, forgetAfter) {
      if (at.getTime() - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = at.getTime();
        await pool.query({
          name: "requests-sweep",
          text: "DELETE FROM seen_requests WHERE forget_after <= $1",
          values: [at],
        });
      }
      const offered = await pool.query({
        name: "requests-offer",
        text: `INSERT INTO seen_requests AS r (key, forget_after) VALUES ($1, $2)
               ON CONFLICT (key) DO UPDATE SET forget_after = excluded.forget_after WHERE r.forget_after <= $3`,
        values: [key, forgetAfter, at],
      });
      return (offered.rowCount ?? 0) > 0;
    },
  };
}
