import { describe, expect, it } from "vitest";
import { realCurriculum } from "../../../test/helpers.js";
import type { QuizItem } from "../curriculum/bank.js";
import { dailyOrderSeed, orderSeed, shownChoices } from "./choice-order.js";

const withChoices = realCurriculum().bank.items.filter(
  (i): i is QuizItem & { kind: "single" | "multiple" } => i.kind === "single" || i.kind === "multiple",
);
const ana = orderSeed({ platform: "discord", spaceExternalId: "g1", userExternalId: "ana" });
const bo = orderSeed({ platform: "discord", spaceExternalId: "g1", userExternalId: "bo" });

describe("the order a learner sees the choices in", () => {
  it("given the same learner and item, is the same order every time", () => {
    for (const item of withChoices) expect(shownChoices(item, ana)).toEqual(shownChoices(item, ana));
  });

  it("given two learners, shows many items in different orders", () => {
    const order = (item: QuizItem & { kind: "single" | "multiple" }, seed: string) =>
      shownChoices(item, seed)
        .map((c) => c.id)
        .join("");
    const differ = withChoices.filter((item) => order(item, ana) !== order(item, bo)).length;
    expect(differ).toBeGreaterThan(withChoices.length / 2);
  });

  it("given every single-choice item of the bank, spreads the key over every shown position", () => {
    const singles = withChoices.filter((i) => i.kind === "single");
    const positions = new Map<number, number>();
    for (const item of singles) {
      const at = shownChoices(item, ana).findIndex((c) => c.id === item.answer);
      positions.set(at, (positions.get(at) ?? 0) + 1);
    }
    // Most items have four choices: each of the first four places holds the key for at least a tenth of them.
    for (const place of [0, 1, 2, 3]) expect(positions.get(place) ?? 0).toBeGreaterThan(singles.length / 10);
  });

  it("given the question of the day, shows the whole channel one order, labelled a, b, c… as shown", () => {
    const [item] = withChoices;
    if (!item) throw new Error("the bank has no item with choices");
    const shown = shownChoices(item, dailyOrderSeed(7));
    expect(shown).toEqual(shownChoices(item, dailyOrderSeed(7)));
    expect(shown.map((c) => c.letter)).toEqual(item.choices.map((_, i) => String.fromCharCode(97 + i)));
    expect(shown.map((c) => c.id).sort()).toEqual(item.choices.map((c) => c.id).sort());
  });
});
