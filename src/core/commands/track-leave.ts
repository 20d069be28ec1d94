import { z } from "zod";
import { success } from "../messages.js";
import type { Command } from "./command.js";
import { followTrackRole } from "./track-shared.js";

const input = z.object({});

export const trackLeave = {
  name: "track leave",
  summary: "Leave your role track",
  audience: "everyone",
  group: "tracks",
  input,
  examples: ["/track leave"],
  async run(_input, ctx) {
    const identity = await ctx.store.identities.find(ctx.actor);
    const left = identity && (await ctx.store.tracks.leave(identity.member.id, ctx.clock.now()));
    if (!left) return { text: "You're not on a track. /track list shows them.", visibility: "private" };
    const name = ctx.curriculum.tracks.find((t) => t.id === left.trackId)?.name ?? left.trackId;
    const roleNote = await followTrackRole(ctx, null);
    return success(
      `You left the **${name}** track. You'll see every lane of weeks 5–12 again.`,
      roleNote ? { fields: [roleNote] } : {},
    );
  },
} satisfies Command<typeof input>;
