import { type SlackBot, slackMember, startSlackBot } from "../e2e/slack-bot.js";
import { ledgerPoints, MODERATOR, SESSION_START, type Step } from "./session.js";
import type { SessionRun } from "./terminal-driver.js";

/** The session's people: the moderator a workspace admin, everyone named by their display name. */
const people = ["ana", "bo", "cy"];

/** Slack's mrkdwn as a person reads it: bold without its asterisks, entities as characters. */
function asRead(mrkdwn: string): string {
  return mrkdwn
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** The pictures and files the replies announced ("… follows"), uploaded once the bot is done. */
async function uploadsDone(bot: SlackBot, replies: readonly string[]): Promise<void> {
  const announced = replies.join("\n").match(/^(?:🖼️ A picture follows|📎 .+ follows\.)/gmu)?.length ?? 0;
  await bot.fake.until(
    () => (bot.fake.uploads.filter((upload) => upload.completed).length >= announced ? true : undefined),
    `${announced} completed upload(s)`,
  );
}

/** Plays the session through a local fake Slack: the real bot in HTTP mode, each line as `/quorum …`. */
export async function runInSlack(steps: readonly Step[]): Promise<SessionRun> {
  const bot = await startSlackBot({
    users: [slackMember(MODERATOR, { isAdmin: true }), ...people.map((name) => slackMember(name))],
    env: { QUORUM_CLOCK_START: SESSION_START },
  });
  const replies: string[] = [];
  let points: Record<string, number> = {};
  let run: Awaited<ReturnType<typeof bot.stop>>;
  try {
    for (const step of steps) {
      // Slack sends what follows the slash command: "cohort join spring", without a slash.
      const reply = await bot.command(bot.fake.user(step.as), step.line.replace(/^\//, ""));
      replies.push(asRead(reply.text));
    }
    await uploadsDone(bot, replies);
    // Read before stopping: stopping removes the database with its folder.
    points = ledgerPoints(bot.databasePath);
  } finally {
    run = await bot.stop();
  }
  if (run && run.code !== 0) throw new Error(`the Slack bot exited ${run.code}: ${run.stderr}`);
  return { replies, points };
}
