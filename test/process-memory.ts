/** Resident memory of processes (the bot, the sandbox's engine processes), read from /proc. */
import { readdirSync, readFileSync } from "node:fs";

const MiB = 1024 * 1024;

/** Every running pid with its parent's pid. */
function parents(): Map<number, number> {
  const found = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      found.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone between listing and reading
    }
  }
  return found;
}

/** Pids of this process's engine children (the shell execs node in place; helpers like esbuild are left out). */
export function childPids(): number[] {
  return [...parents()]
    .filter(([, parent]) => parent === process.pid)
    .map(([pid]) => pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(
          "--disallow-code-generation-from-strings",
        );
      } catch {
        return false;
      }
    });
}

/** The pid and every descendant of it. */
export function processTree(root: number): number[] {
  const all = parents();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of all) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** A process's resident memory now (VmRSS) in MiB; 0 once it is gone. */
export function residentMb(pid: number): number {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return (Number(rss?.[1] ?? 0) * 1024) / MiB;
  } catch {
    return 0;
  }
}

/** The highest resident memory (VmHWM, MiB) any child reached while `work` ran, sampled every 5 ms. */
export async function peakWhile<T>(work: Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = 0;
  const sample = () => {
    for (const pid of childPids()) {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (hwm) peak = Math.max(peak, (Number(hwm[1]) * 1024) / MiB);
      } catch {
        // gone between listing and reading
      }
    }
  };
  const timer = setInterval(sample, 5);
  try {
    const value = await work;
    sample();
    return { value, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}
