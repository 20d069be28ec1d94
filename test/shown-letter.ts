import type { Bank } from "../src/core/curriculum/bank.js";
import type { Actor } from "../src/core/ports/identity.js";
import { dailyOrderSeed, orderSeed, shownChoices } from "../src/core/rules/choice-order.js";

/**
 * The letter a learner types for the bank's choice `choiceId` of an item: choices are shown to each learner
 * in an order of their own (to a cohort's channel, for its open question of the day, in the cohort's).
 */
export function shownLetter(
  bank: Pick<Bank, "items">,
  itemId: string,
  choiceId: string,
  seen: { learner: Pick<Actor, "platform" | "spaceExternalId" | "userExternalId"> } | { dailyOf: number },
): string {
  const item = bank.items.find((i) => i.id === itemId);
  if (!item || (item.kind !== "single" && item.kind !== "multiple"))
    throw new Error(`${itemId} has no choices`);
  const seed = "learner" in seen ? orderSeed(seen.learner) : dailyOrderSeed(seen.dailyOf);
  const shown = shownChoices(item, seed).find((c) => c.id === choiceId);
  if (!shown) throw new Error(`${itemId} has no choice ${choiceId}`);
  return shown.letter;
}
