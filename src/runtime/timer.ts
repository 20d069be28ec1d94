import type { Clock } from "../core/ports/clock.js";
import type { Logger } from "../core/ports/logger.js";
import type { Scheduler } from "../core/schedules/scheduler.js";

/** Even with nothing due, look again this often (other processes may have changed schedules). */
const MAX_SLEEP_MS = 30_000;

export interface Timer {
  stop(): void;
}

/**
 * One timer for every schedule: it sleeps until the earliest due fire or retry,
 * ticks the scheduler, and sleeps again. A schedule change wakes it early.
 */
export function startTimer(
  scheduler: Scheduler,
  clock: Clock,
  logger: Logger,
  /** The longest sleep: sending rights are renewed at least this often. */
  maxSleepMs = MAX_SLEEP_MS,
): Timer {
  const longest = Math.min(maxSleepMs, MAX_SLEEP_MS);
  let handle: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = (delay: number) => {
    if (stopped) return;
    clearTimeout(handle);
    handle = setTimeout(run, delay);
    // The timer alone never keeps the process alive: input or an adapter does.
    handle.unref();
  };

  async function run(): Promise<void> {
    try {
      await scheduler.tick();
      const next = await scheduler.nextWakeAt();
      const delay = next ? next.getTime() - clock.now().getTime() : longest;
      arm(Math.max(0, Math.min(delay, longest)));
    } catch (error) {
      logger.error({ err: error }, "scheduler tick failed");
      arm(longest);
    }
  }

  scheduler.onWake(() => arm(0));
  arm(0);
  return {
    stop() {
      stopped = true;
      clearTimeout(handle);
    },
  };
}
