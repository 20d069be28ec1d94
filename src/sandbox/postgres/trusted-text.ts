/**
 * The task's own (trusted) texts, the check and the plan query, split into statements by the
 * policy's parser once and kept: they come back with every attempt on the task.
 */
import { checkSubmission } from "./policy.js";

const trustedSplits = new Map<string, string[]>();

export function trustedStatements(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let statements = trustedSplits.get(text);
  if (!statements) {
    const checked = checkSubmission(text, { allowWrites: true, maxStatements: 1_000 });
    statements = checked.ok ? checked.statements : [text];
    if (trustedSplits.size > 1_000) trustedSplits.clear();
    trustedSplits.set(text, statements);
  }
  return statements;
}
