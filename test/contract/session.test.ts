import { describe, expect, it } from "vitest";
import { runInDiscord } from "./discord-driver.js";
import { contractSession, type Outcome, standingsIn } from "./session.js";
import { runInSlack } from "./slack-driver.js";
import { runInTerminal, type SessionRun } from "./terminal-driver.js";

const verdicts = [
  "created",
  "Welcome to",
  "You joined",
  "dashboard is off",
  "no dashboard session open",
  "Right!",
  "already answered",
  "Not quite",
  "Not yet",
  "Solved!",
  "All time",
  "Week 1",
];

/** The gist of a reply, whatever the platform's formatting. */
function verdict(reply: string): string {
  return verdicts.find((words) => reply.includes(words)) ?? "unrecognised";
}

function outcomeOf(run: SessionRun): Outcome {
  const allTime = run.replies.at(-2) ?? "";
  const thisWeek = run.replies.at(-1) ?? "";
  return {
    points: run.points,
    allTime: standingsIn(allTime),
    thisWeek: standingsIn(thisWeek),
  };
}

describe("the same session on every adapter", () => {
  const steps = contractSession();

  it("given the scripted session, the terminal chat, Discord and Slack end with the same points and boards", async () => {
    const [terminal, discord, slack] = await Promise.all([
      runInTerminal(steps),
      runInDiscord(steps),
      runInSlack(steps),
    ]);
    const expected = outcomeOf(terminal);

    // The session must really score: a repeat and a wrong answer add nothing, the challenge once.
    expect(expected.points).toEqual({ ana: 10, bo: 50, cy: 40 });
    expect(expected.allTime.map((s) => `${s.name} ${s.points}`)).toEqual(["bo 50", "cy 40", "ana 10"]);
    expect(expected.thisWeek).toEqual(expected.allTime);

    expect(outcomeOf(discord)).toEqual(expected);
    expect(outcomeOf(slack)).toEqual(expected);
    // Step by step, each person was told the same thing.
    expect(discord.replies.map(verdict)).toEqual(terminal.replies.map(verdict));
    expect(slack.replies.map(verdict)).toEqual(terminal.replies.map(verdict));
    expect(terminal.replies.map(verdict)).not.toContain("unrecognised");
  }, 120_000);
});
