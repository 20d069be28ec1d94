/**
 * One bot process of a two-process suite: started, signalled by pid, stopped and started again on
 * the same database, with the logs of every process it has been. Shared by the Slack and terminal pairs.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { SlackSender } from "../../fakes/slack/index.js";
import type { Run, RunningBot } from "../bot.js";

/** How long a bot may take to exit after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 10_000;

export type BotName = "bot1" | "bot2";

/** One bot process of a pair: the current one after a restart, with the logs of all before it. */
export class BotProcess {
  private current: RunningBot | undefined;
  private boundPort: number | undefined;
  private sender: SlackSender | undefined;
  private readonly earlierLogs: string[] = [];

  constructor(
    readonly name: BotName,
    /** Starts the process with more environment; resolves once it can take requests. */
    private readonly launch: (env: Record<string, string>) => Promise<{ running: RunningBot; port?: number }>,
    private readonly senderFor: ((port: number) => SlackSender) | undefined,
    private readonly baseEnv: Record<string, string>,
  ) {}

  async start(env: Record<string, string> = {}): Promise<void> {
    if (this.alive()) throw new Error(`${this.name} is already running (pid ${this.pid()}).`);
    if (this.current) this.earlierLogs.push(this.current.log);
    this.current = undefined;
    this.boundPort = undefined;
    this.sender = undefined;
    const { running, port } = await this.launch({ ...this.baseEnv, ...env });
    this.current = running;
    this.boundPort = port;
    if (port !== undefined && this.senderFor) this.sender = this.senderFor(port);
  }

  /** The running (or last) process; throws before the first start. */
  running(): RunningBot {
    if (!this.current) throw new Error(`${this.name} was never started.`);
    return this.current;
  }

  pid(): number {
    const pid = this.running().bot.child.pid;
    if (pid === undefined) throw new Error(`${this.name} has no pid.`);
    return pid;
  }

  alive(): boolean {
    const child = this.current?.bot.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The HTTP port of the running process; undefined while stopped (the balancer skips it then). */
  port(): number | undefined {
    return this.alive() ? this.boundPort : undefined;
  }

  /** Signed requests straight to this process, past the balancer. */
  get slack(): SlackSender {
    if (!this.sender || !this.alive()) throw new Error(`${this.name} is not running in Slack HTTP mode.`);
    return this.sender;
  }

  /** What the current process logged so far (pino JSON lines on stderr). */
  log(): string {
    return this.current?.log ?? "";
  }

  /** The logs of every process this bot has been, oldest first, the current one last. */
  logs(): string[] {
    return [...this.earlierLogs, ...(this.current ? [this.current.log] : [])];
  }

  /** Sends a signal to the process by its pid (SIGKILL, SIGSTOP, SIGCONT…). */
  signal(signal: NodeJS.Signals): void {
    if (this.alive()) process.kill(this.pid(), signal);
  }

  /** Resolves when the current process exits, with what it printed. */
  exited(): Promise<Run> {
    return this.running().exited;
  }

  /**
   * Stops the process by its pid: SIGCONT (in case a test paused it), SIGTERM, and SIGKILL if it
   * has not exited within the grace period. Resolves with its run; undefined if it never started.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<Run | undefined> {
    const running = this.current;
    if (!running) return undefined;
    if (this.alive()) {
      this.signal("SIGCONT");
      this.signal("SIGTERM");
      const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
      try {
        return await running.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return running.exited;
  }

  /** Stops the process and starts another on the same database, with more environment. */
  async restart(env: Record<string, string> = {}): Promise<void> {
    await this.stop();
    await this.start(env);
  }
}

/** A private folder per bot for what it keeps on disk besides the database (files, backups). */
export function folderFor(parent: string, name: BotName): string {
  return mkdtempSync(join(parent, `${name}-`));
}

/** Starts the bots at once; when one fails, waits for the others to be up, so stopping them finds their pids. */
export async function startBoth(bots: readonly BotProcess[]): Promise<void> {
  const started = await Promise.allSettled(bots.map((bot) => bot.start()));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

/** Stops a process that never became a BotProcess (it failed to start). */
export async function stopRunning(running: RunningBot): Promise<void> {
  const timer = setTimeout(() => running.bot.child.kill("SIGKILL"), STOP_GRACE_MS);
  try {
    await running.stop();
  } finally {
    clearTimeout(timer);
  }
}
