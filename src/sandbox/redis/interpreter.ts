/**
 * Runs a script (one command per line) against a Store: pure, synchronous, no worker,
 * so it is testable on its own. The attempt stops at the first error reply, which is
 * reported with its line number; otherwise the result is the last command's reply.
 */
import { type Failure, fail, type Outcome } from "../kit/outcome.js";
import { emptyText } from "../kit/preflight.js";
import { blockedReason, commands, transactionCommands } from "./commands.js";
import { type Line, parseScript, ScriptTooLarge } from "./parse.js";
import {
  decode,
  err,
  OK,
  QUEUED,
  RedisError,
  type Reply,
  ResultTooLarge,
  toResultSet,
  unknownCommand,
  ValueTooLarge,
} from "./reply.js";
import {
  emptySnapshot,
  MAX_VALUE_BYTES,
  MemoryLimitError,
  replyBytes,
  type Snapshot,
  Store,
} from "./store.js";

export interface ScriptLimits {
  maxRows: number;
  /** Commands (non-blank lines) per script. */
  maxCommands: number;
  /** Arguments per command, the name included. */
  maxArgs: number;
  /** Bytes per argument (the interpreter never lets one past MAX_VALUE_BYTES anyway). */
  maxArgBytes: number;
  /** Characters of cell text in a result. */
  maxResultChars: number;
}

export const scriptLimits: Omit<ScriptLimits, "maxRows"> = {
  maxCommands: 500,
  maxArgs: 10_000,
  maxArgBytes: MAX_VALUE_BYTES,
  maxResultChars: 4 * 1024 * 1024,
};

export interface Attempt {
  query: string;
  check?: string | undefined;
  allowWrites: boolean;
  /** Trusted: commands whose plan lines are returned (never the learner's own text). */
  planQuery?: string | undefined;
}

/** Parse and vet a script before anything runs: syntax, size, blocked commands, writes. */
function prepare(text: string, label: string, allowWrites: boolean, limits: ScriptLimits): Line[] | Failure {
  let parsed: ReturnType<typeof parseScript>;
  try {
    parsed = parseScript(text, limits);
  } catch (error) {
    if (error instanceof ScriptTooLarge) return fail("too-large", `${label}: ${error.message}`);
    throw error;
  }
  if (!parsed.ok) return fail("syntax", `${label} line ${parsed.line}: ${parsed.message}`);
  if (parsed.lines.length === 0) return emptyText(label);
  for (const { line, argv } of parsed.lines) {
    const name = decode(argv[0] ?? "");
    const blocked = blockedReason(name, argv.slice(1));
    if (blocked) return fail("blocked", `${label} line ${line}: ${blocked}`);
    if (!allowWrites && commands.get(name.toLowerCase())?.write) {
      return fail(
        "read-only",
        `${label} line ${line}: ${name.toUpperCase()} writes, and this task is read-only`,
      );
    }
  }
  return parsed.lines;
}

function checkArity(argv: string[], arity: number, name: string): void {
  if (arity >= 0 ? argv.length !== arity : argv.length < -arity) throw err.arity(name);
}

class LineError extends Error {
  constructor(
    readonly line: number,
    readonly error: unknown,
  ) {
    super("line error");
  }
}

/** Redis refuses a request whose argument is longer than proto-max-bulk-len before it runs. */
function checkArgs(argv: string[]): void {
  for (const arg of argv) if (arg.length > MAX_VALUE_BYTES) throw err.bulkTooLong();
}

/** One command's reply, and the bytes the store now holds for it (see Store.hold). */
interface Ran {
  reply: Reply;
  bytes: number;
}

function runOne(store: Store, { line, argv }: Line): Ran {
  const name = (argv[0] ?? "").toLowerCase();
  const command = commands.get(name);
  try {
    checkArgs(argv);
    if (!command) throw unknownCommand(argv);
    checkArity(argv, command.arity, command.name);
    const reply = command.run(store, argv.slice(1));
    const bytes = replyBytes(reply);
    store.hold(bytes);
    return { reply, bytes };
  } catch (error) {
    throw new LineError(line, error);
  }
}

/**
 * Run every line; MULTI queues until EXEC, which runs the queue as one step. A reply is
 * held against the budget while it is referenced: the last one until the next replaces
 * it, and every reply of an EXEC until the EXEC's own reply is.
 */
function execute(store: Store, lines: Line[]): Reply {
  let queue: Line[] | null = null;
  let last: Ran = { reply: null, bytes: 0 };
  const settle = (next: Ran): void => {
    store.release(last.bytes);
    last = next;
  };
  const status = (reply: Reply): Ran => ({ reply, bytes: 0 });
  for (const entry of lines) {
    const name = (entry.argv[0] ?? "").toLowerCase();
    const tx = transactionCommands.get(name);
    if (!tx) {
      if (queue) {
        // Redis checks the name and arity when queueing; the rest fails, if at all, in EXEC.
        const command = commands.get(name);
        checkLine(entry, () => {
          checkArgs(entry.argv);
          if (!command) throw unknownCommand(entry.argv);
          checkArity(entry.argv, command.arity, command.name);
        });
        queue.push(entry);
        settle(status(QUEUED));
      } else settle(runOne(store, entry));
      continue;
    }
    checkLine(entry, () => checkArity(entry.argv, tx.arity, name));
    if (name === "multi") {
      if (queue) throw new LineError(entry.line, new RedisError("ERR MULTI calls can not be nested"));
      queue = [];
      settle(status(OK));
    } else if (name === "exec") {
      if (!queue) throw new LineError(entry.line, new RedisError("ERR EXEC without MULTI"));
      const queued: Line[] = queue;
      queue = null;
      const replies: Reply[] = [];
      let bytes = 0;
      for (const q of queued) {
        const ran = q.argv[0]?.toLowerCase() === "unwatch" ? status(OK) : runOne(store, q);
        replies.push(ran.reply);
        bytes += ran.bytes;
      }
      settle({ reply: replies, bytes });
    } else if (name === "discard") {
      if (!queue) throw new LineError(entry.line, new RedisError("ERR DISCARD without MULTI"));
      queue = null;
      settle(status(OK));
    } else if (name === "watch") {
      // One client and no other writer: a WATCHed key can never change under us.
      if (queue) throw new LineError(entry.line, new RedisError("ERR WATCH inside MULTI is not allowed"));
      settle(status(OK));
    } else {
      settle(status(queue ? QUEUED : OK)); // UNWATCH
      if (queue) queue.push(entry);
    }
  }
  return last.reply;
}

function checkLine(entry: Line, check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new LineError(entry.line, error);
  }
}

function explain(lines: Line[]): string[] {
  return lines.map(({ line, argv }) => {
    const name = decode(argv[0] ?? "").toLowerCase();
    const command = commands.get(name);
    const upper = name.toUpperCase();
    if (!command) {
      const tx = transactionCommands.get(name);
      return tx
        ? `line ${line}: ${upper} (transaction), ${tx.complexity}`
        : `line ${line}: ${upper} (unknown command)`;
    }
    const keys = command
      .keys(argv.slice(1))
      .map((k) => JSON.stringify(decode(k).slice(0, 60)))
      .join(" ");
    const access = command.write ? "write" : "read";
    return `line ${line}: ${upper}${keys ? ` ${keys}` : ""} (${access}), ${command.complexity}`;
  });
}

function failure(error: unknown, label: string): Failure {
  const line = error instanceof LineError ? error.line : null;
  const cause = error instanceof LineError ? error.error : error;
  const where = line === null ? label : `${label} line ${line}`;
  if (cause instanceof ValueTooLarge) {
    return fail(
      "too-large",
      `${where}: ${cause.message}; the sandbox allows ${MAX_VALUE_BYTES / 1048576} MiB in one value`,
    );
  }
  if (cause instanceof RedisError) return fail("runtime", `${where}: ${decode(cause.message).trimEnd()}`);
  if (cause instanceof MemoryLimitError) return fail("memory", `${where}: ${cause.message}`);
  if (cause instanceof ResultTooLarge) return fail("too-large", `${label}: ${cause.message}`);
  if (cause instanceof RangeError)
    return fail("too-large", `${where}: a value grew too large (${cause.message})`);
  const message = cause instanceof Error ? cause.message : String(cause);
  return fail("runtime", `${where}: ${message.split("\n")[0] ?? ""}`);
}

/**
 * One attempt on `store` (already a private copy): the query, then the check on the same
 * state; the result is the check's last reply when there is a check, else the query's.
 */
export function runAttempt(store: Store, attempt: Attempt, limits: ScriptLimits): Outcome {
  const query = prepare(attempt.query, "query", attempt.allowWrites, limits);
  if (!Array.isArray(query)) return query;
  const check =
    attempt.check === undefined ? null : prepare(attempt.check, "check", attempt.allowWrites, limits);
  if (check !== null && !Array.isArray(check)) return check;
  let reply: Reply;
  let label = "query";
  try {
    reply = execute(store, query);
    if (check) {
      label = "check";
      reply = execute(store, check);
    }
  } catch (error) {
    return failure(error, label);
  }
  if (!attempt.allowWrites && store.dirty > 0) {
    return fail("read-only", "the query changed the data, and this task is read-only");
  }
  try {
    const { result, truncated } = toResultSet(reply, limits.maxRows, limits.maxResultChars);
    const planned = attempt.planQuery === undefined ? null : prepare(attempt.planQuery, "plan", true, limits);
    const plan = planned === null ? null : Array.isArray(planned) ? explain(planned) : [planned.message];
    return { ok: true, result, truncated, plan };
  } catch (error) {
    return failure(error, "result");
  }
}

/** A dataset's setup script run once into a fresh store; the snapshot is the base of every attempt. */
export function buildSnapshot(setup: string, limitBytes: number): { ok: true; snapshot: Snapshot } | Failure {
  const store = new Store(emptySnapshot(), limitBytes);
  const lines = prepare(setup, "setup", true, {
    ...scriptLimits,
    maxCommands: Number.MAX_SAFE_INTEGER,
    maxArgs: Number.MAX_SAFE_INTEGER,
    maxArgBytes: Number.MAX_SAFE_INTEGER,
    maxRows: 0,
  });
  if (!Array.isArray(lines)) return lines;
  try {
    execute(store, lines);
  } catch (error) {
    return failure(error, "setup");
  }
  return { ok: true, snapshot: store.snapshot() };
}
