import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { commands } from "../../../core/commands/registry.js";
import type { Message } from "../../../core/messages.js";
import { parseAction } from "./blocks.js";
import { viewProblems } from "./check.js";
import { homeView } from "./home.js";

const home: Message = {
  title: "ana · spring",
  fields: [
    { name: "Cohort", value: "spring", inline: true },
    { name: "Week", value: "3 of 20: Joins", inline: true },
    { name: "Streak", value: "2 weeks, done for today", inline: true },
  ],
  choices: [
    { label: "Next question", style: "primary", action: { command: "quiz", args: {} } },
    { label: "Leaderboard", action: { command: "leaderboard", args: {} } },
  ],
  footer: "Longest streak 4 weeks · freezes held 1",
};

describe("Slack App Home", () => {
  it("given the learner's page, shows the header, the fields side by side, the buttons and the footer", () => {
    const view = homeView(home);
    expect(view.type).toBe("home");
    expect(view.blocks.map((b) => b.type)).toEqual(["header", "section", "actions", "context"]);
    expect(view.blocks[1]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Cohort*\nspring" },
        { type: "mrkdwn", text: "*Week*\n3 of 20: Joins" },
        { type: "mrkdwn", text: "*Streak*\n2 weeks, done for today" },
      ],
    });
    // A view's blocks are typed loosely; ours are all known blocks.
    const actions = view.blocks[2] as KnownBlock | undefined;
    const pressed =
      actions?.type === "actions"
        ? actions.elements.map((e) =>
            e.type === "button" ? parseAction(e.action_id ?? "", e.value ?? "", commands) : undefined,
          )
        : [];
    expect(pressed).toEqual([
      { mode: "run", action: { command: "quiz", args: {} } },
      { mode: "run", action: { command: "leaderboard", args: {} } },
    ]);
    expect(viewProblems(view)).toEqual([]);
  });

  it("given pictures, says nothing of uploads, since a tab gets none", () => {
    const view = homeView({ ...home, images: [{ alt: "chart", name: "c.png", png: new Uint8Array([1]) }] });
    expect(JSON.stringify(view)).not.toContain("follows");
  });

  it("given more than 100 blocks' worth, cuts the body and keeps the buttons and footer", () => {
    const sections = Array.from({ length: 120 }, (_, i) => ({ heading: `S${i}`, text: "x" }));
    const view = homeView({ ...home, sections });
    expect(view.blocks).toHaveLength(100);
    expect(view.blocks.slice(-2).map((b) => b.type)).toEqual(["actions", "context"]);
    expect(viewProblems(view)).toEqual([]);
  });
});
