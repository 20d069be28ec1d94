/**
 * The collections one attempt sees, and the mingo options every statement of the attempt runs
 * with: scripts off, strict, lookups resolved against this attempt's own copies.
 */
import type { ProcessingMode } from "mingo/core";
import type { Options } from "mingo/types";
import { safeContext } from "./operators.js";
import type { Doc } from "./protocol.js";
import type { TextIndex, TextIndexes } from "./text-index.js";

/** The collections one attempt sees: cloned from the cached dataset the first time each is touched. */
export class AttemptState {
  readonly #base: ReadonlyMap<string, readonly Doc[]>;
  readonly #copies = new Map<string, Doc[]>();
  readonly #textIndexes: TextIndexes;

  constructor(base: ReadonlyMap<string, readonly Doc[]>, textIndexes: TextIndexes = {}) {
    this.#base = base;
    this.#textIndexes = textIndexes;
  }

  /** The collection's text index, if the dataset declares one. */
  textIndex(name: string): TextIndex | undefined {
    return Object.hasOwn(this.#textIndexes, name) ? this.#textIndexes[name] : undefined;
  }

  collection(name: string): Doc[] {
    let docs = this.#copies.get(name);
    if (docs === undefined) {
      const base = this.#base.get(name);
      docs = base === undefined ? [] : structuredClone(base as Doc[]);
      this.#copies.set(name, docs);
    }
    return docs;
  }
}

export function mingoOptions(state: AttemptState, processingMode: ProcessingMode): Partial<Options> {
  return {
    context: safeContext,
    // No custom script operators ($where, $function, $accumulator) even if one slipped past the checks.
    scriptEnabled: false,
    useStrictMode: true,
    failOnError: true,
    processingMode,
    // $lookup, $graphLookup and $unionWith see this attempt's copies; unknown names are empty.
    collectionResolver: (name: string) => state.collection(name),
  };
}
