/** The Chromium processes this test process started, read from /proc, to check none outlives its browser. */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { processTree } from "../process-memory.js";

/** A process by pid and start time, so a pid the kernel hands out again is not taken for it. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

/** Linux's /proc/<pid>/stat fields after the command name: state is [0], ppid [1], start time [19]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function executableOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Pids of this process's children running `executablePath` (playwright spawns the browser directly). */
export function browserChildren(executablePath: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => statFields(pid)?.[1] === String(process.pid) && executableOf(pid) === executablePath);
}

/** The browser process and all of its descendants (renderers, network and storage services). */
export function processesOf(browserPid: number): ProcessIdentity[] {
  return processTree(browserPid).flatMap((pid) => {
    const startTime = statFields(pid)?.[19];
    return startTime === undefined ? [] : [{ pid, startTime }];
  });
}

/** Those still running: same start time, and not a zombie waiting to be reaped. */
export function stillRunning(processes: readonly ProcessIdentity[]): ProcessIdentity[] {
  return processes.filter(({ pid, startTime }) => {
    const fields = statFields(pid);
    return fields !== undefined && fields[19] === startTime && fields[0] !== "Z" && fields[0] !== "X";
  });
}

/** Waits (bounded) for the processes to end; returns those still running when it gives up. */
export async function afterTheyEnd(processes: readonly ProcessIdentity[]): Promise<ProcessIdentity[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const running = stillRunning(processes);
    if (running.length === 0) return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return stillRunning(processes);
}
