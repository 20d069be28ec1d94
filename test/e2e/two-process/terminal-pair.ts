/** Two terminal chats (no platform credentials) on one PostgreSQL database, fed line by line. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunningBot, startBot } from "../bot.js";
import { type BotName, BotProcess, folderFor, startBoth } from "./bot-process.js";

/**
 * One terminal chat's standard input and output, line by line: `say` writes a line and resolves
 * with its reply. Piped, the chat answers its lines in order and echoes each as `name › text`
 * before its reply, so each line is followed by a marker line (an unknown command, which touches
 * no data) whose echo ends the reply before it, whatever it printed (pictures saved included).
 */
export class ChatLines {
  private stdout = "";
  private written = 0;
  /** Where the search for the next line's echo starts: past the previous marker's echo. */
  private readonly markerEnds = new Map<number, number>();
  private readonly waiting = new Set<() => void>();

  constructor(private readonly child: RunningBot["bot"]["child"]) {
    child.stdout.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString();
      for (const check of this.waiting) check();
    });
    // The chat may exit (or be killed) with lines still being written to it.
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      for (const check of this.waiting) check();
    });
  }

  /** Everything the chat printed so far. */
  get printed(): string {
    return this.stdout;
  }

  /** Writes `line` (e.g. "@ana /answer w01-x b") and resolves with the chat's whole reply to it. */
  say(line: string, timeoutMs = 20_000): Promise<string> {
    const n = ++this.written;
    const marker = `/mark-${n}`;
    const spoken = /^@(\S+) (.*)$/.exec(line);
    const echo = spoken ? `${spoken[1]?.toLowerCase()} › ${spoken[2]}\n` : `you › ${line}\n`;
    const markerEcho = `mark › ${marker}\n`;
    this.child.stdin.write(`${line}\n@mark ${marker}\n`);
    return new Promise<string>((resolve, reject) => {
      const check = () => {
        const at = this.stdout.indexOf(markerEcho);
        if (at === -1) {
          if (this.child.exitCode !== null || this.child.signalCode !== null) {
            finish();
            reject(new Error(`The chat exited before answering "${line}". It printed:\n${this.stdout}`));
          }
          return;
        }
        finish();
        this.markerEnds.set(n, at + markerEcho.length);
        // This line's echo comes after every marker echo before this marker's.
        let from = 0;
        for (const end of this.markerEnds.values()) if (end <= at) from = Math.max(from, end);
        const start = this.stdout.indexOf(echo, from);
        if (start === -1 || start > at) {
          reject(new Error(`No echo of "${line}" before its marker. The chat printed:\n${this.stdout}`));
          return;
        }
        resolve(this.stdout.slice(start + echo.length, at).trim());
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`No reply to "${line}" within ${timeoutMs} ms. The chat printed:\n${this.stdout}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiting.delete(check);
      };
      this.waiting.add(check);
      check();
    });
  }

  /** Ends the chat's input: it answers what it has and exits. */
  end(): void {
    if (this.child.stdin.writable) this.child.stdin.end();
  }
}

/** A terminal chat process of a pair, and its lines (the current process's, after a restart). */
export interface TerminalBot {
  process: BotProcess;
  lines(): ChatLines;
  /** Where it writes pictures: replies name files there. */
  filesDir: string;
}

export interface TwoTerminalBots {
  bots: readonly [TerminalBot, TerminalBot];
  /** Stops both chats by pid (also when one fails to stop) and removes their folders. */
  stop(): Promise<void>;
}

/** A terminal chat (not started yet) keeping its files in a folder of its own under `parent`. */
export function terminalBot(name: BotName, parent: string, env: Record<string, string>): TerminalBot {
  const own = folderFor(parent, name);
  let lines: ChatLines | undefined;
  const filesDir = join(own, "files");
  const bot = new BotProcess(
    name,
    async (more) => {
      const running = new RunningBot(startBot(more));
      lines = new ChatLines(running.bot.child);
      return { running };
    },
    undefined,
    { DATABASE_PATH: join(own, "quorum.db"), FILES_DIR: filesDir, ...env },
  );
  return {
    process: bot,
    filesDir,
    lines: () => {
      if (!lines) throw new Error(`${name} was never started.`);
      return lines;
    },
  };
}

/** Starts two terminal chats (no platform credentials) on `databaseUrl`, at once. */
export async function startTwoTerminalBots(options: {
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<TwoTerminalBots> {
  const folder = mkdtempSync(join(tmpdir(), "quorum-two-terminals-"));
  const env = { DATABASE_URL: options.databaseUrl, ...options.env };
  const bots = [terminalBot("bot1", folder, env), terminalBot("bot2", folder, env)] as const;
  const stop = async () => {
    const results = await Promise.allSettled(bots.map((bot) => bot.process.stop()));
    rmSync(folder, { recursive: true, force: true });
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    await startBoth(bots.map((bot) => bot.process));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { bots, stop };
}
