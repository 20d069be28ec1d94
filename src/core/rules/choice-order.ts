import type { QuizItem } from "../curriculum/bank.js";
import { hashText, seededRandom } from "./seeded-random.js";

// Choices are shown in an order of their own to each learner (and one order to a whole channel for the
// question of the day), so a key's place in the YAML file tells nothing. Letters shown are the shown
// order's; answers stay keyed to the choice ids of the bank.

type WithChoices = QuizItem & { kind: "single" | "multiple" };

/** A choice as shown: its letter in the shown order and the bank's choice id it stands for. */
export interface ShownChoice {
  letter: string;
  id: string;
  text: string;
}

/** The item's choices in the order `seed` (a learner, or a channel's question of the day) sees them. */
export function shownChoices(item: WithChoices, seed: string): ShownChoice[] {
  const order = [...item.choices];
  const next = seededRandom(hashText(`${seed}\u0000${item.id}`));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as (typeof order)[number], order[i] as (typeof order)[number]];
  }
  return order.map((choice, i) => ({
    letter: String.fromCharCode(97 + i),
    id: choice.id,
    text: choice.text,
  }));
}

/** Whose order a learner's message shows: their own, or their cohort's open question of the day. */
export function orderSeed(learner: {
  platform: string;
  spaceExternalId: string;
  userExternalId: string;
}): string {
  return `learner:${learner.platform}:${learner.spaceExternalId}:${learner.userExternalId}`;
}

export function dailyOrderSeed(cohortId: number | string): string {
  return `daily:${cohortId}`;
}
