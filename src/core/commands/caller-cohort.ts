import { type Message, problem } from "../messages.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Identity } from "../ports/identity.js";
import type { Schedule } from "../ports/schedules.js";
import { err, ok, type Result } from "../result.js";
import { type CohortProgress, progressAt } from "../rules/schedule.js";
import { defaultModuleSchedule, timelineOf } from "../schedules/timeline.js";
import type { CommandContext } from "./command.js";

export interface CohortContext {
  identity: Identity;
  cohort: Cohort;
  schedules: Schedule[];
  module: Schedule;
  progress: CohortProgress;
}

/** The caller's cohort with its schedules; the reply to give when there is none. */
export async function callerCohort(ctx: CommandContext): Promise<Result<CohortContext, Message>> {
  const identity = await ctx.store.identities.find(ctx.actor);
  if (identity && ctx.cohortId !== undefined) return namedCohort(ctx, identity, ctx.cohortId);
  const cohort =
    identity?.member.cohortId == null ? undefined : await ctx.store.cohorts.get(identity.member.cohortId);
  if (!identity || !cohort) {
    return err(
      problem(
        "You're not in a cohort, and this belongs to one.",
        "Create one with /cohort create <name>, or join one with /cohort join <name>.",
      ),
    );
  }
  return ok(await withSchedules(ctx, identity, cohort));
}

/** A cohort a dashboard page names: only in the caller's own space, and only their own unless they moderate it. */
async function namedCohort(
  ctx: CommandContext,
  identity: Identity,
  cohortId: number,
): Promise<Result<CohortContext, Message>> {
  const cohort = await ctx.store.cohorts.get(cohortId);
  const visible =
    cohort !== undefined &&
    cohort.spaceId === identity.space.id &&
    (ctx.actor.isModerator || identity.member.cohortId === cohort.id);
  if (!visible) return err(problem("There is no such cohort here.", "Pick one from the list of cohorts."));
  return ok(await withSchedules(ctx, identity, cohort));
}

async function withSchedules(
  ctx: CommandContext,
  identity: Identity,
  cohort: Cohort,
): Promise<CohortContext> {
  const schedules = await ctx.store.schedules.forCohort(cohort.id);
  // Cohorts saved before schedules existed follow the default until a moderator sets one.
  const module = schedules.find((s) => s.kind === "module") ?? {
    ...defaultModuleSchedule(cohort.startDate, cohort.timezone),
    id: 0,
    cohortId: cohort.id,
    skips: [],
  };
  const progress = progressAt(timelineOf(module), ctx.clock.now());
  return { identity, cohort, schedules, module, progress };
}
