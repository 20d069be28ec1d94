import { describe, expect, it } from "vitest";
import { commands } from "../../core/commands/registry.js";
import { slackCommandNames } from "./command-text.js";

const onSlack = slackCommandNames(commands, "/quorum");

describe("command names in replies on Slack", () => {
  it("given a reply naming commands, each reads as /quorum <command>", () => {
    const reply = onSlack({
      text: "Answer with /answer w01-q1 <choice>, or see /quiz.",
      footer: "Next: /track show · /leaderboard week",
      fields: [{ name: "Tip", value: "(/review brings it back)" }],
      sections: [{ heading: "How", text: "`/submit id query`" }],
    });
    expect(reply.text).toBe("Answer with /quorum answer w01-q1 <choice>, or see /quorum quiz.");
    expect(reply.footer).toBe("Next: /quorum track show · /quorum leaderboard week");
    expect(reply.fields?.[0]?.value).toBe("(/quorum review brings it back)");
    expect(reply.sections?.[0]?.text).toBe("`/quorum submit id query`");
  });

  it("given paths, URLs and words that are not commands, nothing changes", () => {
    const text = "See https://example.org/week and docs/quiz, /etc/hosts and /weekly.";
    expect(onSlack({ text }).text).toBe(text);
  });
});
