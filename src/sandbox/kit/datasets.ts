/**
 * The one way an engine gets a dataset to its children: built once per sandbox (`DatasetCache`),
 * then handed to each child that lacks it (`ChildDatasets`), which keeps it as the base every
 * attempt clones (a deserialized copy, a copy-on-access store, cloned collections, a rolled-back
 * transaction: the clone is the engine's, the bookkeeping is this).
 */
import type { Limits } from "../../core/sandbox.js";
import type { ChildHandle, Death } from "../pool/pool.js";
import { deathOutcome, type Failure, fail, type Result } from "./outcome.js";

/** Why a dataset could not be made ready, in one wording whatever the engine. */
export const datasetFailure = (datasetId: string, why: string): Failure =>
  fail("unavailable", `the dataset "${datasetId}" could not be built: ${why}`);

/** The child died while it set a dataset up. */
export function setupDeath(datasetId: string, death: Death, limits: Limits): Failure {
  const why =
    death.kind === "timeout"
      ? "its setup took too long"
      : `the setup failed: ${deathOutcome(death, limits).message}`;
  return datasetFailure(datasetId, why);
}

/**
 * Datasets built once per sandbox, by id: attempts that come at once share one build, a failed
 * build is forgotten (a later attempt tries again), and past `capacity` the least recently used
 * is dropped.
 */
export class DatasetCache<T> {
  readonly #entries = new Map<string, Promise<Result<T>>>();

  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  get(datasetId: string, build: () => Promise<Result<T>>): Promise<Result<T>> {
    const cached = this.#entries.get(datasetId);
    if (cached) {
      this.#entries.delete(datasetId);
      this.#entries.set(datasetId, cached);
      return cached;
    }
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const built = build();
    this.#entries.set(datasetId, built);
    void built.then((entry) => {
      if (!entry.ok && this.#entries.get(datasetId) === built) this.#entries.delete(datasetId);
    });
    return built;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * What each child holds, kept in the child's own `held` map (dataset id → its size), least
 * recently used first, within a budget of datasets and of bytes.
 */
export class ChildDatasets {
  constructor(private readonly budget: { count?: number; bytes?: number } = {}) {}

  /** Whether the child holds the dataset (it becomes the most recently used). */
  has(child: ChildHandle, datasetId: string): boolean {
    const size = child.held.get(datasetId);
    if (size === undefined) return false;
    child.held.delete(datasetId);
    child.held.set(datasetId, size);
    return true;
  }

  /** The datasets the child must drop to take one of `size` bytes; forgotten here at once. */
  evictFor(child: ChildHandle, size = 0): string[] {
    const maxCount = this.budget.count ?? Number.POSITIVE_INFINITY;
    const maxBytes = this.budget.bytes ?? Number.POSITIVE_INFINITY;
    let bytes = size;
    for (const held of child.held.values()) bytes += held as number;
    const evict: string[] = [];
    for (const [id, held] of child.held) {
      if (child.held.size - evict.length < maxCount && bytes <= maxBytes) break;
      evict.push(id);
      bytes -= held as number;
    }
    for (const id of evict) child.held.delete(id);
    return evict;
  }

  /** The child now holds the dataset. */
  hold(child: ChildHandle, datasetId: string, size = 0): void {
    child.held.set(datasetId, size);
  }
}

/** A child asked to run on a dataset it does not hold (the parent's bookkeeping went wrong). */
export const notLoaded = (): Failure => fail("unavailable", "the dataset is not loaded");
