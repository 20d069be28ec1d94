import type { Curriculum } from "../src/core/curriculum/schema.js";
import { seededRandom } from "../test/seeded-random.js";
import type { Generated } from "./progress.js";

/** An /answer line for learner `memberId` (a member id of the generated cohort). */
export interface AnswerLine {
  memberId: number;
  line: string;
}

/** /answer lines on (learner, item) pairs the generated cohort has not answered yet. */
export interface FreshAnswers {
  /**
   * `count` more lines, by learners drawn at random (only those `accept` takes, when given), every
   * pair new: none the cohort holds, none handed out before. Right and wrong choices alternate.
   */
  take(count: number, accept?: (memberId: number) => boolean): AnswerLine[];
}

/** Answers a measure() run with these rounds makes: its warm-up and every batch. */
export const answersIn = (rounds: { batches: number; perBatch: number; warmup: number }) =>
  rounds.warmup + rounds.batches * rounds.perBatch;

/** Fresh pairs of a cohort made by generateCohort; the same seed hands out the same lines. */
export function freshAnswers(curriculum: Curriculum, generated: Generated, seed: number): FreshAnswers {
  const items = curriculum.bank.items;
  const random = seededRandom(seed);
  const nextOffset = new Map<number, number>();
  let handedOut = 0;
  return {
    take(count, accept = () => true) {
      const lines: AnswerLine[] = [];
      for (let draws = 0; lines.length < count; draws++) {
        if (draws > 1_000 * count + 100_000) throw new Error("too few fresh (member, item) pairs left");
        const memberId = 1 + Math.floor(random() * generated.members);
        if (!accept(memberId)) continue;
        const answered = generated.counts[memberId - 1] ?? 0;
        const first = generated.firstItem[memberId - 1] ?? 0;
        // Items the learner has not answered yet follow the ones they have, in the same wrapping order.
        for (let k = nextOffset.get(memberId) ?? answered; k < items.length; k++) {
          const item = items[(first + k) % items.length];
          if (item?.kind !== "single") continue;
          nextOffset.set(memberId, k + 1);
          const wrong = item.choices.find((c) => c.id !== item.answer)?.id ?? item.answer;
          lines.push({
            memberId,
            line: `/answer ${item.id} key:${handedOut++ % 2 === 0 ? item.answer : wrong}`,
          });
          break;
        }
      }
      return lines;
    },
  };
}
