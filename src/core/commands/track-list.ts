import { z } from "zod";
import { viewLearner } from "../services/learner.js";
import type { Command } from "./command.js";
import { laneNames } from "./track-shared.js";

const input = z.object({});

export const trackList = {
  name: "track list",
  summary: "The 8 role tracks and what each emphasises",
  audience: "everyone",
  group: "tracks",
  input,
  examples: ["/track list"],
  async run(_input, ctx) {
    const { track: mine } = await viewLearner(ctx);
    return {
      title: `Role tracks (${ctx.curriculum.tracks.length})`,
      text: "A track shapes which lane you follow in weeks 5–12 and which topics get the most weight.",
      fields: ctx.curriculum.tracks.map((track) => ({
        name: `${track.name} · \`${track.id}\`${track.id === mine?.id ? " (your track)" : ""}`,
        value: `${track.summary}\nLanes: ${laneNames(track)}`,
      })),
      footer: "Join one with /track join <track>, e.g. /track join dba",
    };
  },
} satisfies Command<typeof input>;
