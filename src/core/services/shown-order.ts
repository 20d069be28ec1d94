import type { CommandContext } from "../commands/command.js";
import type { CohortDelivery } from "../ports/deliveries.js";
import { dailyOrderSeed, orderSeed } from "../rules/choice-order.js";

/**
 * The order a learner is shown an item's choices in: the channel's while the item is their cohort's
 * open question of the day (returned too, for its bonus), else their own. /quiz shows it and /answer
 * reads typed letters in it.
 */
export async function shownOrder(
  ctx: Pick<CommandContext, "store" | "actor">,
  cohortId: number | null,
  itemId: string,
  at: Date,
): Promise<{ seed: string; daily: CohortDelivery | undefined }> {
  const daily = cohortId === null ? undefined : await ctx.store.deliveries.open(cohortId, itemId, at);
  return { seed: daily && cohortId !== null ? dailyOrderSeed(cohortId) : orderSeed(ctx.actor), daily };
}
