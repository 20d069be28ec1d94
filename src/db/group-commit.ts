import type Database from "better-sqlite3";

/** At most this many pieces of work share one transaction; the rest wait for the next turn. */
const MAX_BATCH = 256;

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one SQLite connection: writes queued during one turn of the event loop run
 * together in one transaction, each in its own savepoint (one that throws is undone alone), and
 * every promise settles only after that transaction has committed, so nothing is acknowledged
 * before it is on disk. A lone write waits only for the end of the current turn.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Nested inside the batch's BEGIN, better-sqlite3 runs each piece in a savepoint. */
  private readonly piece: (work: () => unknown) => unknown;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly maxBatch = MAX_BATCH,
  ) {
    this.piece = sqlite.transaction((work: () => unknown) => work());
  }

  /** Queues `work` (synchronous statements on this connection); resolves with its result once committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Commits everything queued, now: before the connection closes. */
  flush(): void {
    while (this.queue.length > 0) this.commit(this.queue.splice(0, this.maxBatch));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.sqlite.open) {
        for (const pending of this.queue.splice(0)) pending.reject(new Error("the database is closed"));
        return;
      }
      this.commit(this.queue.splice(0, this.maxBatch));
      // Replies of this batch go out before the next one starts.
      if (this.queue.length > 0) this.schedule();
    });
  }

  private commit(batch: Pending[]): void {
    if (batch.length === 0) return;
    // Inside someone else's transaction (never expected): join it rather than nest a BEGIN.
    const own = !this.sqlite.inTransaction;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      if (own) this.sqlite.exec("BEGIN IMMEDIATE");
      for (const pending of batch) {
        try {
          outcomes.push({ ok: true, value: this.piece(pending.work) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      if (own) this.sqlite.exec("COMMIT");
    } catch (error) {
      if (own && this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }
}

const perConnection = new WeakMap<Database.Database, GroupCommit>();

/** The one group commit of a connection, so every store on it shares its batches. */
export function groupCommitFor(sqlite: Database.Database): GroupCommit {
  let group = perConnection.get(sqlite);
  if (!group) {
    group = new GroupCommit(sqlite);
    perConnection.set(sqlite, group);
  }
  return group;
}

/** Commits what is queued on a connection, if anything: called just before it closes. */
export function flushGroupCommit(sqlite: Database.Database): void {
  perConnection.get(sqlite)?.flush();
}
