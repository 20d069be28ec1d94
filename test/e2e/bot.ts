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

/** The real bot as a child process: `node --import tsx src/main.ts`, or `npm start --silent`. */
export function startBot(env: Record<string, string>, viaNpm = false): Bot {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(DISCORD_|SLACK_|LOG_LEVEL|DATABASE_PATH|CURRICULUM_DIR|QUORUM_|CATCH_UP_HOURS)/.test(key),
    ),
  );
  const [command, args] = viaNpm
    ? ["npm", ["start", "--silent"]]
    : [process.execPath, ["--import", "tsx", join(appRoot, "src", "main.ts")]];
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

/** Feeds a whole script on standard input and waits for the bot to finish it and exit. */
export function runBot(script: string, env: Record<string, string>, viaNpm = false): Promise<Run> {
  const bot = startBot(env, viaNpm);
  bot.child.stdin.end(script);
  return bot.exited;
}
