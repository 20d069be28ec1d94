/**
 * The waiting line of one engine: at most one attempt per learner queued or running, learners
 * served round-robin, and a bounded length. The bot's own runs (reference solutions, the CLI)
 * carry no learner and are not limited per learner.
 */

export type Admission = "queued" | "pending" | "busy";

const ownRuns = "\u0000own";

export class FairQueue<T> {
  private readonly waiting = new Map<string, T[]>();
  /** Keys with something waiting, in the order they are served. */
  private readonly turns: string[] = [];
  /** Learners with an attempt queued or running. */
  private readonly holding = new Set<string>();
  private count = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.count;
  }

  /** "pending" when this learner already has an attempt in, "busy" when the line is full. */
  offer(learner: string | undefined, item: T): Admission {
    if (learner !== undefined && this.holding.has(learner)) return "pending";
    if (this.count >= this.capacity) return "busy";
    const key = learner ?? ownRuns;
    if (learner !== undefined) this.holding.add(learner);
    const list = this.waiting.get(key);
    if (list) list.push(item);
    else {
      this.waiting.set(key, [item]);
      this.turns.push(key);
    }
    this.count++;
    return "queued";
  }

  /** The next item, taking one from each key in turn. */
  take(): T | undefined {
    const key = this.turns.shift();
    if (key === undefined) return undefined;
    const list = this.waiting.get(key) ?? [];
    const item = list.shift();
    if (list.length > 0) this.turns.push(key);
    else this.waiting.delete(key);
    this.count--;
    return item;
  }

  /** The learner's attempt has finished: they may send the next one. */
  release(learner: string | undefined): void {
    if (learner !== undefined) this.holding.delete(learner);
  }

  /** Everything still waiting, emptied out (on close). */
  drain(): T[] {
    const items: T[] = [];
    for (let item = this.take(); item !== undefined; item = this.take()) items.push(item);
    this.holding.clear();
    return items;
  }
}
