import type { Pool } from "pg";
import type { RequestStore } from "../../core/ports/requests.js";
import { execute } from "./tx.js";

/** Rows past their time are swept this often, by whichever call comes along. */
const SWEEP_EVERY_MS = 60_000;

/** Seen by any process: of two offering one key at once, the primary key lets one in. */
export function requestStore(pool: Pool): RequestStore {
  let sweptAt = 0;
  return {
    async firstTime(key, at, forgetAfter) {
      if (at.getTime() - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = at.getTime();
        await execute(pool, "DELETE FROM seen_requests WHERE forget_after <= $1", [at], "requests-sweep");
      }
      const offered = await execute(
        pool,
        `INSERT INTO seen_requests AS r (key, forget_after) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET forget_after = excluded.forget_after WHERE r.forget_after <= $3`,
        [key, forgetAfter, at],
        "requests-offer",
      );
      return offered > 0;
    },
  };
}
