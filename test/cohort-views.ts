import type { Cohort } from "../src/core/ports/cohorts.js";
import type { Member } from "../src/core/ports/identity.js";
import type { Standing } from "../src/core/ports/progress.js";

// View models for the moderator's cohort pages, made by hand: the pages are drawn from them alone.

export const HOSTILE = "<script>alert('x')</script>";

export const cohort: Cohort = {
  id: 7,
  spaceId: 1,
  name: "spring",
  startDate: "2026-03-02",
  timezone: "Europe/Berlin",
  channelExternalId: "general",
  status: "active",
  streakUnit: "day",
  createdAt: new Date("2026-03-01T10:00:00Z"),
};

export const learner = (id: number, displayName: string): Member => ({
  id,
  spaceId: 1,
  externalId: `u${id}`,
  displayName,
  timezone: null,
  cohortId: cohort.id,
});

export const standing = (rank: number, member: Member, points: number): Standing => ({
  rank,
  member,
  points,
  reachedAt: new Date("2026-03-04T10:00:00Z"),
});

/** The page's text without tags, entities read and whitespace collapsed: what a reader sees. */
export const textOf = (html: string) =>
  html
    .replace(/<\/?(a|code|span|time|strong|em)\b[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
