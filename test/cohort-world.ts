import { handleText } from "../src/core/dispatch.js";
import type { Cohort } from "../src/core/ports/cohorts.js";
import { actor, realCurriculum, type TestCore } from "./helpers.js";

// A cohort built through chat commands, for the tests of the dashboard's cohort services and pages.

/** Single-choice items of the real bank, with a right and a wrong answer as a button sends them. */
export const singles = realCurriculum()
  .bank.items.flatMap((i) => (i.kind === "single" ? [i] : []))
  .map((i) => ({
    item: i,
    right: `key:${i.answer}`,
    wrong: `key:${i.choices.find((c) => c.id !== i.answer)?.id ?? "a"}`,
  }));

/** What `user` is told, as one string of title, text and fields. */
export async function say(t: TestCore, user: string, line: string, space = "local"): Promise<string> {
  const reply = await handleText(t.core, actor(user, { spaceExternalId: space }), line);
  return [reply?.title, reply?.text, ...(reply?.fields ?? []).map((f) => `${f.name}: ${f.value}`)]
    .filter(Boolean)
    .join("\n");
}

/** `user` answers the n-th single-choice item, right unless told. */
export function answerSingle(t: TestCore, user: string, n: number, right = true, space = "local") {
  const single = singles[n];
  if (!single) throw new Error(`no single item ${n}`);
  return say(t, user, `/answer ${single.item.id} ${right ? single.right : single.wrong}`, space);
}

/** The moderator "mod" creates the cohort (starting Monday 2 March 2026, UTC) and the learners join it. */
export async function cohortWith(
  t: TestCore,
  name: string,
  learners: string[],
  space = "local",
): Promise<Cohort> {
  await say(t, "mod", `/cohort create ${name} 2026-03-02 UTC`, space);
  for (const learner of learners) await say(t, learner, `/cohort join ${name}`, space);
  const where = await t.core.store.identities.findSpace(actor("mod", { spaceExternalId: space }));
  const cohort = where && (await t.core.store.cohorts.findByName(where.id, name));
  if (!cohort) throw new Error(`cohort ${name} not created`);
  return cohort;
}

/** Noon UTC on the n-th day after Monday 2 March 2026. */
export const day = (n: number) => new Date(Date.parse("2026-03-02T12:00:00Z") + n * 86_400_000);
