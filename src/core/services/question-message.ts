import type { QuizItem } from "../curriculum/bank.js";
import type { Choice, Message } from "../messages.js";

/** The item as a private question with one button per choice; a button runs `/answer <id> <choice>`. */
export function quizMessage(item: QuizItem, heading: string): Message {
  const choices: Choice[] =
    item.kind === "single" || item.kind === "multiple"
      ? item.choices.map((c) => ({
          id: `/answer ${item.id} ${c.id}`,
          label: `${c.id.toUpperCase()}. ${c.text}`,
        }))
      : item.kind === "true-false"
        ? [
            { id: `/answer ${item.id} true`, label: "True" },
            { id: `/answer ${item.id} false`, label: "False" },
          ]
        : [];
  const how =
    item.kind === "multiple"
      ? `Pick every right one: /answer ${item.id} a,c`
      : item.kind === "short"
        ? `Answer with /answer ${item.id} <your answer>`
        : `Answer with /answer ${item.id} <choice>`;
  return { title: heading, text: item.prompt, choices, footer: how, visibility: "private" };
}
