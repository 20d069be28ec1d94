import type { CommandContext } from "../commands/command.js";
import type { Track } from "../curriculum/schema.js";
import type { Cohort } from "../ports/cohorts.js";
import type { Identity } from "../ports/identity.js";
import type { TrackMembership } from "../ports/tracks.js";
import type { CohortProgress } from "../rules/schedule.js";
import { cohortProgress } from "../schedules/timeline.js";

export interface LearnerView {
  identity?: Identity;
  cohort?: Cohort;
  progress?: CohortProgress;
  membership?: TrackMembership;
  track?: Track;
}

/** What the core knows about the person asking, read without writing anything. */
export async function viewLearner(ctx: Omit<CommandContext, "eventKey">): Promise<LearnerView> {
  const identity = await ctx.store.identities.find(ctx.actor);
  if (!identity) return {};
  const view: LearnerView = { identity };
  const { cohortId } = identity.member;
  const cohort = cohortId === null ? undefined : await ctx.store.cohorts.get(cohortId);
  if (cohort) {
    view.cohort = cohort;
    view.progress = await cohortProgress(ctx.store, cohort, ctx.clock.now());
  }
  const membership = await ctx.store.tracks.current(identity.member.id);
  if (membership) {
    view.membership = membership;
    const track = ctx.curriculum.tracks.find((t) => t.id === membership.trackId);
    if (track) view.track = track;
  }
  return view;
}
