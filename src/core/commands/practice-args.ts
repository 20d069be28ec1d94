import { z } from "zod";
import { argHints, restOfLine } from "./args.js";

/** A challenge's or quiz question's id as shown with it: trimmed, at most 80 characters. */
function itemId() {
  return z.string().trim().max(80, "is too long");
}

/** A challenge's id, required; offered as the person types. */
export function challengeIdArg(description: string) {
  return itemId().min(1, "is missing").describe(description).register(argHints, { suggest: "challenge" });
}

/** A quiz question's id, required. */
export function questionIdArg(description: string) {
  return itemId().min(1, "is missing").describe(description);
}

/** A quiz question's id that may be left out (then the command picks one). */
export function optionalQuestionIdArg(description: string) {
  return itemId().optional().describe(description);
}

/** An answer to a quiz question, the rest of the line: a letter, letters, true/false or words. */
function answerText() {
  return z.string().trim().max(300, "is too long");
}

export function answerArg(description: string) {
  return answerText().min(1, "is missing").describe(description).register(restOfLine, { rest: true });
}

export function optionalAnswerArg(description: string) {
  return answerText().optional().describe(description).register(restOfLine, { rest: true });
}

/** A query for a challenge, the rest of the line as typed (new lines too), asked for in a multi-line field. */
export function queryArg(description: string) {
  return z
    .string()
    .min(1, "is missing")
    .describe(description)
    .register(restOfLine, { rest: true })
    .register(argHints, { multiline: true });
}
