import type { RequestStore } from "../core/ports/requests.js";
import type { Db } from "./client.js";
import { preparedOnce } from "./rows.js";

/** Rows past their time are swept this often, by whichever call comes along. */
const SWEEP_EVERY_MS = 60_000;

export function requestStore(db: Db): RequestStore {
  const statements = preparedOnce(() => ({
    offer: db.$client.prepare<[string, number, number]>(
      `INSERT INTO seen_requests (key, forget_after) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET forget_after = excluded.forget_after WHERE seen_requests.forget_after <= ?`,
    ),
    sweep: db.$client.prepare<[number]>("DELETE FROM seen_requests WHERE forget_after <= ?"),
  }));
  let sweptAt = 0;
  return {
    async firstTime(key, at, forgetAfter) {
      const now = at.getTime();
      if (now - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = now;
        statements().sweep.run(now);
      }
      return statements().offer.run(key, forgetAfter.getTime(), now).changes > 0;
    },
  };
}
