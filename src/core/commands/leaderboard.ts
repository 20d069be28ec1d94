import { z } from "zod";
import { problem } from "../messages.js";
import type { Board } from "../ports/progress.js";
import { TOTAL_WEEKS } from "../rules/schedule.js";
import { boardMessage } from "../services/board-message.js";
import { viewLearner } from "../services/learner.js";
import type { Command } from "./command.js";
import { resolveTrack } from "./track-shared.js";

const input = z.object({
  board: z
    .enum(["week", "all", "track"])
    .default("week")
    .describe("week (this week's points), all (all time) or track (your track's learners)"),
  which: z
    .string()
    .trim()
    .min(1)
    .max(60, "is too long")
    .optional()
    .describe("a week number for week, a track for track"),
});

export const leaderboard = {
  name: "leaderboard",
  summary: "Your cohort's top 10 this week, all time or on a track, and your own place",
  audience: "everyone",
  group: "progress",
  input,
  examples: ["/leaderboard", "/leaderboard all", "/leaderboard track dba", "/leaderboard week 3"],
  async run({ board: kind, which }, ctx) {
    const learner = await viewLearner(ctx);
    const { cohort, identity } = learner;
    if (!cohort || !identity) {
      return problem(
        "Leaderboards belong to a cohort, and you're not in one.",
        "Join one with /cohort join <name> (see them with /cohort info).",
      );
    }
    let board: Board;
    if (kind === "all") {
      board = { kind: "all" };
    } else if (kind === "week") {
      const current = learner.progress?.state === "running" ? learner.progress.week : 0;
      const week = which === undefined ? current : Number(which);
      if (!Number.isInteger(week) || week < 0 || week > TOTAL_WEEKS + 1) {
        return problem(
          `"${which}" is not a week.`,
          `Use a number from 1 to ${TOTAL_WEEKS}, e.g. /leaderboard week 3`,
        );
      }
      board = { kind: "week", week };
    } else {
      const track = which === undefined ? learner.track : undefined;
      if (which !== undefined) {
        const found = resolveTrack(ctx.curriculum, which);
        if (!found.ok) return problem(`There is no track called "${which}".`, found.error);
        board = { kind: "track", trackId: found.value.id };
      } else if (track) {
        board = { kind: "track", trackId: track.id };
      } else {
        return problem(
          "You're not on a track, so name one.",
          "e.g. /leaderboard track dba (tracks: /track list)",
        );
      }
    }
    return boardMessage(ctx, cohort, board, identity.member.id);
  },
} satisfies Command<typeof input>;
