import { z } from "zod";
import { type Message, problem } from "../messages.js";
import { formatInZone } from "../rules/zoned.js";
import { issueSignInLink, LINK_TTL_MS } from "../services/web-access.js";
import type { Command } from "./command.js";

const input = z.object({});

/** What /dashboard says when there is no listener to open a link on. */
export const dashboardOff: Message = problem(
  "The web dashboard is off on this bot.",
  "An operator turns it on by setting HTTP_PORT (and PUBLIC_URL, the address people open) and restarting Quorum.",
);

export const dashboard = {
  name: "dashboard",
  // Discord's /dashboard has a subcommand (signout), so its root cannot run; "dashboard open" can.
  aliases: ["dashboard open"],
  summary: "A private one-time link to your progress on the web (moderators: the cohorts' pages)",
  audience: "everyone",
  group: "progress",
  input,
  replies: "private",
  examples: ["/dashboard"],
  async run(_input, ctx) {
    const base = ctx.settings.dashboardUrl;
    if (base === undefined) return dashboardOff;
    const now = ctx.clock.now();
    const identity = await ctx.store.identities.ensure(ctx.actor, now);
    const link = await issueSignInLink(ctx, identity, ctx.actor.isModerator, base);
    const minutes = LINK_TTL_MS / 60_000;
    return {
      title: "Your dashboard",
      text: `Open this link within ${minutes} minutes; it works once and signs you in for 12 hours:\n${link.url}`,
      links: [{ label: "Open the dashboard", url: link.url }],
      footer: `${ctx.actor.isModerator ? "You'll see every cohort of this space. " : ""}Valid until ${formatInZone(link.expiresAt, "UTC")}. Sign out everywhere with /dashboard signout.`,
      visibility: "private",
    };
  },
} satisfies Command<typeof input>;
