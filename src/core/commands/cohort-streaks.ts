import { z } from "zod";
import { success } from "../messages.js";
import { callerCohort } from "./caller-cohort.js";
import type { Command } from "./command.js";

const input = z.object({
  unit: z.enum(["daily", "weekly"]).describe("daily: a day's activity counts; weekly: a week's"),
});

export const cohortStreaks = {
  name: "cohort streaks",
  summary: "Whether your cohort's streaks count active days or active weeks",
  audience: "moderator",
  group: "cohorts",
  input,
  examples: ["/cohort streaks weekly", "/cohort streaks daily"],
  async run({ unit }, ctx) {
    const found = await callerCohort(ctx);
    if (!found.ok) return found.error;
    const { cohort } = found.value;
    const streakUnit = unit === "daily" ? "day" : "week";
    await ctx.store.cohorts.setStreakUnit(cohort.id, streakUnit);
    return success(
      `Streaks in **${cohort.name}** now count active ${streakUnit}s. ` +
        "Both kinds were kept all along, so nobody's streak is lost.",
      { footer: "Learners see theirs with /streak" },
    );
  },
} satisfies Command<typeof input>;
