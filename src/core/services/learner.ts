import type { CommandContext } from "../commands/command.js";
import type { Track } from "../curriculum/schema.js";
import type { Cohort, Identity, TrackMembership } from "../ports.js";
import { type CohortProgress, cohortProgress } from "../rules/progression.js";

export interface LearnerView {
  identity?: Identity;
  cohort?: Cohort;
  progress?: CohortProgress;
  membership?: TrackMembership;
  track?: Track;
}

/** What the core knows about the person asking, read without writing anything. */
export async function viewLearner(ctx: CommandContext): Promise<LearnerView> {
  const identity = await ctx.store.identities.find(ctx.actor);
  if (!identity) return {};
  const view: LearnerView = { identity };
  const { cohortId } = identity.member;
  const cohort = cohortId === null ? undefined : await ctx.store.cohorts.get(cohortId);
  if (cohort) {
    view.cohort = cohort;
    view.progress = cohortProgress(cohort.startDate, cohort.timezone, ctx.clock.now());
  }
  const membership = await ctx.store.tracks.current(identity.member.id);
  if (membership) {
    view.membership = membership;
    const track = ctx.curriculum.tracks.find((t) => t.id === membership.trackId);
    if (track) view.track = track;
  }
  return view;
}

/** Completes "The cohort …": "is in week 3 of 20", "starts in 4 days", "finished on 2026-05-03". */
export function describeProgress(progress: CohortProgress): string {
  switch (progress.state) {
    case "not-started":
      return progress.startsInDays === 1 ? "starts tomorrow" : `starts in ${progress.startsInDays} days`;
    case "running":
      return `is in week ${progress.week} of 20`;
    case "finished":
      return `finished on ${progress.finishedOn}`;
  }
}
