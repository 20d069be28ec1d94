import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { appRoot } from "../../src/paths.js";

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Bot {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited, with everything it printed. */
  exited: Promise<Run>;
}

/** One of the app's programs as a child process, in its folder; Quorum's variables only as given. */
export function startProcess(command: string, args: string[], env: Record<string, string>): Bot {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(DISCORD_|SLACK_|HTTP_|BACKUP_|LOG_LEVEL|DATABASE_PATH|CURRICULUM_DIR|QUORUM_|CATCH_UP_HOURS)/.test(
          key,
        ),
    ),
  );
  const child = spawn(command, args, {
    cwd: appRoot,
    env: { ...clean, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

/** Runs one of the app's programs to its end, with nothing on standard input. */
export function runProcess(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  const started = startProcess(command, args, env);
  started.child.stdin.end();
  return started.exited;
}

/** The real bot as a child process: `node --import tsx src/main.ts`, or `npm start --silent`. */
export function startBot(env: Record<string, string>, viaNpm = false): Bot {
  return viaNpm
    ? startProcess("npm", ["start", "--silent"], env)
    : startProcess(process.execPath, ["--import", "tsx", join(appRoot, "src", "main.ts")], env);
}

/** Feeds a whole script on standard input and waits for the bot to finish it and exit. */
export function runBot(script: string, env: Record<string, string>, viaNpm = false): Promise<Run> {
  const bot = startBot(env, viaNpm);
  bot.child.stdin.end(script);
  return bot.exited;
}

/** How long a bot may take to start; child processes share the machine with other test files. */
const START_TIMEOUT_MS = 20_000;

/** A bot that keeps running across tests: its log so far, waiting on a log line, and a clean stop. */
export class RunningBot {
  private stderr = "";
  readonly exited: Promise<Run>;

  constructor(readonly bot: Bot) {
    bot.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = bot.exited;
  }

  get log(): string {
    return this.stderr;
  }

  /** Resolves with what `probe` finds in the log; rejects if the bot exits or takes too long first. */
  waitForLog<T>(probe: (log: string) => T | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe(this.stderr);
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`The bot did not ${what} within ${START_TIMEOUT_MS} ms. Its log:\n${this.stderr}`));
      }, START_TIMEOUT_MS);
      const finish = () => {
        clearTimeout(timer);
        this.bot.child.stderr.off("data", check);
      };
      this.bot.child.stderr.on("data", check);
      this.bot.exited.then((run) => {
        finish();
        reject(new Error(`The bot exited (${run.code ?? run.signal}) before it did ${what}:\n${run.stderr}`));
      }, reject);
      check();
    });
  }

  async stop(): Promise<Run> {
    if (this.bot.child.exitCode === null && this.bot.child.signalCode === null) {
      this.bot.child.kill("SIGTERM");
    }
    return this.exited;
  }
}
