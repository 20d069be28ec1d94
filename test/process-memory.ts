/** Resident memory of this process's children (the sandbox's engine processes), read from /proc. */
import { readdirSync, readFileSync } from "node:fs";

const MiB = 1024 * 1024;

/** Pids of this process's engine children (the shell execs node in place; helpers like esbuild are left out). */
export function childPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== process.pid) return false;
        return readFileSync(`/proc/${name}/cmdline`, "utf8").includes(
          "--disallow-code-generation-from-strings",
        );
      } catch {
        return false;
      }
    })
    .map(Number);
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
