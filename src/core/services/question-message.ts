import type { z } from "zod";
import { actionFor } from "../commands/action.js";
import { answer } from "../commands/answer.js";
import type { Command } from "../commands/command.js";
import type { QuizItem } from "../curriculum/bank.js";
import type { Choice, Message } from "../messages.js";
import { shownChoices } from "../rules/choice-order.js";
import { KEY_PREFIX } from "../rules/scoring.js";

/** A command that takes a question id and an answer to it: /answer, or /review for a question due again. */
export type Answering = Pick<
  Command<z.ZodObject<{ question: z.ZodType; choice: z.ZodType }>>,
  "name" | "input"
>;

/**
 * The item as a private question with one button per choice, in the order `seed` sees them; a button
 * runs `by` (default /answer) with the bank's id of its choice.
 */
export function quizMessage(item: QuizItem, heading: string, seed: string, by: Answering = answer): Message {
  const choice = (id: string, label: string): Choice => ({
    label,
    action: actionFor(by, { question: item.id, choice: id }),
  });
  const choices: Choice[] =
    item.kind === "single" || item.kind === "multiple"
      ? shownChoices(item, seed).map((c) =>
          choice(`${KEY_PREFIX}${c.id}`, `${c.letter.toUpperCase()}. ${c.text}`),
        )
      : item.kind === "true-false"
        ? [choice("true", "True"), choice("false", "False")]
        : [];
  const how =
    item.kind === "multiple"
      ? `Pick every right one: /${by.name} ${item.id} a,c`
      : item.kind === "short"
        ? `Answer with /${by.name} ${item.id} <your answer>`
        : `Answer with /${by.name} ${item.id} <choice>`;
  return { title: heading, text: item.prompt, choices, footer: how, visibility: "private" };
}
