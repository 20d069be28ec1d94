import { join } from "node:path";
import { runBot } from "../e2e/bot.js";
import { tempDir } from "../helpers.js";
import { ledgerPoints, MODERATOR, SESSION_START, type Step } from "./session.js";

export interface SessionRun {
  /** The reply to each step, as the person saw it. */
  replies: string[];
  /** Points per learner, from the ledger the run wrote. */
  points: Record<string, number>;
}

/** Plays the session through the terminal chat: one piped script, the real bot as a child process. */
export async function runInTerminal(steps: readonly Step[]): Promise<SessionRun> {
  const dir = tempDir();
  const databasePath = join(dir, "quorum.db");
  const script = steps.map((s) => (s.as === MODERATOR ? s.line : `@${s.as} ${s.line}`)).join("\n");
  const run = await runBot(script, {
    DATABASE_PATH: databasePath,
    FILES_DIR: join(dir, "files"),
    QUORUM_CLOCK_START: SESSION_START,
  });
  if (run.code !== 0) throw new Error(`terminal run exited ${run.code}: ${run.stderr}`);
  // Piped, the chat echoes each line as "name › line" before its reply.
  const echoed = new RegExp(`^(?:${steps.map((s) => s.as).join("|")}) › `, "m");
  const [, ...replies] = run.stdout.split(echoed);
  if (replies.length !== steps.length) {
    throw new Error(`expected ${steps.length} replies, found ${replies.length}:\n${run.stdout}`);
  }
  return { replies, points: ledgerPoints(databasePath) };
}
