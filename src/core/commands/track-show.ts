import { z } from "zod";
import { allTopics } from "../curriculum/query.js";
import { problem } from "../messages.js";
import { ladderLevel, trackProgress } from "../rules/progress.js";
import { localDate } from "../rules/time.js";
import { viewLearner } from "../services/learner.js";
import { argHints } from "./args.js";
import type { Command } from "./command.js";
import { laneNames, resolveTrack } from "./track-shared.js";

const input = z.object({
  track: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe("a track to look at (default: yours)")
    .register(argHints, { suggest: "track" }),
});

export const trackShow = {
  name: "track show",
  summary: "Your role track: what it stresses, its key topics and its career ladder",
  audience: "everyone",
  group: "tracks",
  input,
  replies: "private",
  examples: ["/track show", "/track show data-architect"],
  async run({ track: query }, ctx) {
    const learner = await viewLearner(ctx);
    let track = learner.track;
    if (query) {
      const found = resolveTrack(ctx.curriculum, query);
      if (!found.ok)
        return problem(`There is no track called "${query}".`, `${found.error} — e.g. /track show dba`);
      track = found.value;
    }
    if (!track) {
      return {
        text: "You haven't joined a track yet. See them with /track list, then e.g. /track join dba.",
      };
    }
    const topics = allTopics(ctx.curriculum);
    const focus = track.focusTopics.map((id) => {
      const found = topics.find((t) => t.topic.id === id);
      return found ? `- ${found.topic.title} (week ${found.week})` : `- ${id}`;
    });
    const mine = learner.track?.id === track.id && learner.membership;
    const zone = learner.cohort?.timezone ?? ctx.settings.defaultTimezone;
    const member = learner.identity?.member;
    if (mine && member) {
      const history = await ctx.store.answers.history(member.id);
      const solved = new Set([...history].filter(([, h]) => h.solved).map(([id]) => id));
      const progress = trackProgress(ctx.curriculum, track, solved);
      const points = await ctx.store.answers.totalPoints(member.id);
      const level = ladderLevel(track, points);
      const started = progress.topics.filter((t) => !t.done && t.solved > 0);
      const next = [...started, ...progress.topics.filter((t) => t.solved === 0)].slice(0, 5);
      return {
        title: `${track.name} · your track`,
        text: `**${level.step.title}** · ${points.toLocaleString("en-US")} points${
          level.next
            ? ` · ${level.next.pointsToGo.toLocaleString("en-US")} to ${level.next.step.title}`
            : " · the top of the ladder"
        }`,
        progress: { current: progress.done, total: progress.total, label: "topics mastered" },
        fields: [
          { name: "Lanes in weeks 5–12", value: laneNames(track), inline: true },
          { name: "Joined", value: localDate(mine.joinedAt, zone), inline: true },
        ],
        sections: [
          {
            heading: "Next topics",
            text: next.length
              ? next.map((t) => `- ${t.title} (week ${t.week}): ${t.solved} of ${t.total} solved`).join("\n")
              : "Every topic of the track is mastered.",
          },
          {
            heading: "Career ladder",
            text: track.ladder
              .map(
                (step, i) =>
                  `- ${i === level.index ? "▶ " : ""}**${step.title}** (${step.experience}; ${step.minPoints.toLocaleString("en-US")}+ points)`,
              )
              .join("\n"),
          },
        ],
        footer:
          "A topic counts when every question and challenge on it is solved (/review brings missed ones back)",
      };
    }
    return {
      title: `${track.name}${mine ? " · your track" : ""}`,
      text: `${track.summary}\n\n${track.emphasis}`,
      fields: [
        { name: "Lanes in weeks 5–12", value: laneNames(track), inline: true },
        ...(mine ? [{ name: "Joined", value: localDate(mine.joinedAt, zone), inline: true }] : []),
      ],
      sections: [
        { heading: "Key topics", text: focus.join("\n") },
        {
          heading: "Career ladder",
          text: track.ladder.map((step) => `- **${step.title}** (${step.experience})`).join("\n"),
        },
      ],
      footer: mine ? "Change with /track join <track>, or /track leave" : `Join with /track join ${track.id}`,
    };
  },
} satisfies Command<typeof input>;
