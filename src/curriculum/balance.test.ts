import { describe, expect, it } from "vitest";
import { realCurriculum } from "../../test/helpers.js";
import type { QuizItem } from "../core/curriculum/bank.js";
import { checkBalance, nearDuplicates } from "./balance.js";

const base = { week: 1, difficulty: "easy" as const, topics: ["joins"], tracks: [] };

/** A single-choice item whose key is `right` among `others`, on a subject of its own. */
function single(id: string, subject: string, right: string, others: string[]): QuizItem {
  return {
    ...base,
    id,
    kind: "single",
    prompt: `Which statement about ${subject} holds?`,
    choices: [
      { id: "a", text: right },
      ...others.map((text, i) => ({ id: String.fromCharCode(98 + i), text })),
    ],
    answer: "a",
    explanation: `Because ${subject} works that way, as the manual for ${subject} explains.`,
  };
}

function trueFalse(id: string, subject: string, answer: boolean): QuizItem {
  return {
    ...base,
    id,
    kind: "true-false",
    prompt: `True or false: ${subject} behaves as stated.`,
    answer,
    explanation: `The documentation of ${subject} says so in its own chapter.`,
  };
}

const subjects = ["vacuum", "sharding", "replication", "caching", "indexes", "streams", "locks", "backups"];
const rules = (items: QuizItem[]) => checkBalance(items).map((p) => p.rule);

describe("the balance rules of the question bank", () => {
  it("given the right choice is the longest in most single items, the bank fails the length rule", () => {
    const items = subjects.map((s, i) =>
      i < 4
        ? single(`w01-${s}`, s, `a rather long and careful statement about ${s}`, ["short one", "another"])
        : single(`w01-${s}`, s, "brief", [`a longer wrong statement about ${s}`, "mid-length wrong"]),
    );
    expect(rules(items)).toEqual(["longest-right"]);
    expect(rules(items.slice(2))).toEqual([]);
  });

  it("given three of four true-false items are false, the bank fails the true-share rule", () => {
    const items = subjects.slice(0, 4).map((s, i) => trueFalse(`w01-${s}`, s, i === 0));
    expect(rules(items)).toEqual(["true-share"]);
    expect(rules(subjects.slice(0, 4).map((s, i) => trueFalse(`w01-${s}`, s, i < 2)))).toEqual([]);
  });

  it("given two items with the same id after the week, the bank fails the near-duplicate rule", () => {
    const items = [
      trueFalse("w02-cte-inlining", "vacuum", true),
      trueFalse("w07-cte-inlining", "sharding", false),
    ];
    expect(rules(items)).toEqual(["near-duplicate"]);
  });

  it("given two items whose prompt, key and explanation say the same, the bank fails the near-duplicate rule", () => {
    const items = [
      ...subjects.slice(0, 6).map((s, i) => trueFalse(`w03-${s}`, s, i % 2 === 0)),
      trueFalse(
        "w04-monotonic-key",
        "a monotonically increasing shard key sends every insert to the last chunk",
        true,
      ),
      trueFalse(
        "w09-rising-key",
        "a monotonically increasing shard key sends every insert to the last chunk",
        false,
      ),
    ];
    expect(nearDuplicates(items).map((p) => [p.a, p.b])).toEqual([["w04-monotonic-key", "w09-rising-key"]]);
    expect(rules(items)).toEqual(["near-duplicate"]);
  });

  it("given the shipped bank, every balance rule holds", () => {
    expect(checkBalance(realCurriculum().bank.items)).toEqual([]);
  });
});
