import { z } from "zod";
import { problem, success } from "../messages.js";
import { argHints } from "./args.js";
import type { Command } from "./command.js";
import { followTrackRole, laneNames, resolveTrack } from "./track-shared.js";

const input = z.object({
  track: z
    .string()
    .trim()
    .min(1, "is missing")
    .max(60, "is too long")
    .describe("track id or name, e.g. dba")
    .register(argHints, { suggest: "track" }),
});

export const trackJoin = {
  name: "track join",
  summary: "Join a role track (one at a time; joining another moves you)",
  audience: "everyone",
  group: "tracks",
  input,
  examples: ["/track join dba", "/track join nosql-specialist"],
  async run({ track: query }, ctx) {
    const found = resolveTrack(ctx.curriculum, query);
    if (!found.ok)
      return problem(`There is no track called "${query}".`, `${found.error} — e.g. /track join dba`);
    const track = found.value;

    const existing = await ctx.store.identities.find(ctx.actor);
    const current = existing && (await ctx.store.tracks.current(existing.member.id));
    if (current?.trackId === track.id) {
      return { text: `You're already on the **${track.name}** track. See it with /track show.` };
    }
    const { member } = existing ?? (await ctx.store.identities.ensure(ctx.actor, ctx.clock.now()));
    const { previous } = await ctx.store.tracks.join(member.id, track.id, ctx.clock.now());
    const left = previous
      ? (ctx.curriculum.tracks.find((t) => t.id === previous)?.name ?? previous)
      : undefined;
    const roleNote = await followTrackRole(ctx, track);
    return success(
      `You joined the **${track.name}** track${left ? ` (and left ${left})` : ""}. ` +
        `In weeks 5–12 you follow ${laneNames(track)}.`,
      { footer: "See your track with /track show", ...(roleNote ? { fields: [roleNote] } : {}) },
    );
  },
} satisfies Command<typeof input>;
