/** The cohort every dashboard file starts from, typed into the chat: two learners who answered and submitted. */
import { expect } from "vitest";
import { actor, realCurriculum } from "../../helpers.js";
import { shownLetter } from "../../shown-letter.js";
import { COHORT_START, type DashboardBot } from "./bot.js";

export const COHORT = "spring";
/** A zone other than UTC, so the schedule page's two columns differ. */
export const COHORT_ZONE = "Europe/Berlin";
/** The challenge both learners try: ana solves it, bo sends a query only bo may see again. */
export const CHALLENGE = "store-customers-without-orders";
/** Text in bo's query that must never be on one of ana's pages. */
export const BO_SECRET = "bo_private_draft";
export const BO_QUERY = `SELECT 1 AS ${BO_SECRET}`;

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}

export function solutionOf(id: string): string {
  const challenge = realCurriculum().bank.challenges.find((candidate) => candidate.id === id);
  if (!challenge) throw new Error(`The curriculum has no challenge ${id}`);
  return oneLine(challenge.solution);
}

/** The chat lines: the moderator makes the cohort, ana and bo join, answer week 1's questions and submit. */
export function seedLines(): string[] {
  const bank = realCurriculum().bank;
  const items = bank.items.filter((item) => item.week === 1 && item.kind === "single").slice(0, 3);
  const letter = (user: string, itemId: string, choiceId: string) =>
    shownLetter(bank, itemId, choiceId, { learner: actor(user) });
  const lines = [
    `/cohort create ${COHORT} ${COHORT_START} ${COHORT_ZONE}`,
    `@ana /cohort join ${COHORT}`,
    `@bo /cohort join ${COHORT}`,
    "@ana /track join dba",
    "@bo /track join sql-developer",
  ];
  for (const item of items) {
    if (item.kind !== "single") continue;
    const wrong = item.choices.find((choice) => choice.id !== item.answer)?.id ?? "a";
    lines.push(
      `@ana /answer ${item.id} ${letter("ana", item.id, item.answer)}`,
      `@bo /answer ${item.id} ${letter("bo", item.id, wrong)}`,
    );
  }
  lines.push(`@ana /submit ${CHALLENGE} ${solutionOf(CHALLENGE)}`, `@bo /submit ${CHALLENGE} ${BO_QUERY}`);
  return lines;
}

/** Only the cohort and ana in it: enough for the sign-in tests. */
export async function seedCohort(bot: DashboardBot): Promise<void> {
  expect(await bot.chat.say(`/cohort create ${COHORT} ${COHORT_START} ${COHORT_ZONE}`)).toContain(
    `Cohort ${COHORT} created`,
  );
  expect(await bot.chat.say(`@ana /cohort join ${COHORT}`)).toContain(`Welcome to ${COHORT}`);
}

/** Types the seed and checks the chat took it: the cohort exists and ana's query was graded right. */
export async function seed(bot: DashboardBot): Promise<void> {
  const replies: string[] = [];
  for (const line of seedLines()) replies.push(await bot.chat.say(line));
  expect(replies[0]).toContain(`Cohort ${COHORT} created`);
  expect(replies.at(-2)).toMatch(/Solved!/);
}
