import { z } from "zod";
import { success } from "../messages.js";
import type { Command } from "./command.js";

const input = z.object({});

export const dashboardSignout = {
  name: "dashboard signout",
  summary: "Sign out of the web dashboard in every browser, and cancel unused links",
  audience: "everyone",
  group: "progress",
  input,
  replies: "private",
  examples: ["/dashboard signout"],
  async run(_input, ctx) {
    const identity = await ctx.store.identities.find(ctx.actor);
    const ended = identity ? await ctx.store.web.endSessions(identity.member.id) : 0;
    return success(
      ended === 0
        ? "You had no dashboard session open; any unused link is cancelled."
        : `Signed out of the dashboard in ${ended} ${ended === 1 ? "browser" : "browsers"}; unused links are cancelled.`,
      { footer: "A new link: /dashboard" },
    );
  },
} satisfies Command<typeof input>;
