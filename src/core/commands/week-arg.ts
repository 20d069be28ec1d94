import { z } from "zod";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { argHints } from "./args.js";

/** An optional week number argument, 1–20, with the messages every command shares. */
export function weekArg(description: string) {
  return z.coerce
    .number({ error: "must be a week number from 1 to 20" })
    .int("must be a whole week number from 1 to 20")
    .min(1, "must be from 1 to 20")
    .max(TOTAL_WEEKS, "must be from 1 to 20")
    .optional()
    .describe(description)
    .register(argHints, { suggest: "week" });
}
