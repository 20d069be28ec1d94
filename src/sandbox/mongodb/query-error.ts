/** A refusal found while reading a learner's MongoDB text, with the place it was found. */

export type FailureKind = "syntax" | "blocked" | "too-large";

/** A refusal found while reading the text: never thrown past the worker's entry point. */
export class QueryError extends Error {
  constructor(
    readonly reason: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

/** Brackets deeper than this are refused before JSON5 (or mingo) ever recurse into them. */
export const maxNesting = 100;

/** Line and column (1-based) of an offset, for messages. */
export function where(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

export function syntaxError(text: string, pos: number, message: string): QueryError {
  return new QueryError("syntax", `${message} at ${where(text, pos)}`);
}
