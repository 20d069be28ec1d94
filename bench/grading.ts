import { silentLogger } from "../src/core/logger.js";
import { defaultLimits, type Engine, engines, type Sandbox } from "../src/core/sandbox.js";
import { Grader } from "../src/core/services/grader.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { closeSandboxes, createSandboxes } from "../src/sandbox/index.js";

const ROUNDS = 40;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Grading time per engine, and what cloning a built dataset saves over rebuilding it from its setup. */
export async function benchGrading(): Promise<void> {
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error("curriculum does not load");
  const { challenges, datasets } = loaded.curriculum.bank;
  const sandboxes = createSandboxes();
  const grader = new Grader({ sandboxes, datasets, limits: defaultLimits, logger: silentLogger });
  try {
    console.log(
      `\nGrading: a solution submitted and graded (learner run + cached reference), ${ROUNDS} rounds per engine`,
    );
    for (const engine of engines) {
      const mine = challenges.filter((c) => c.engine === engine);
      if (mine.length === 0) continue;
      // Warm: start the engine and cache each reference once.
      for (const challenge of mine) await grader.grade(challenge, challenge.solution);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const challenge = mine[i % mine.length];
        if (challenge) times.push(await timeIt(() => grader.grade(challenge, challenge.solution)));
      }
      times.sort((a, b) => a - b);
      console.log(
        `  ${engine.padEnd(9)} median ${quantile(times, 0.5).toFixed(1).padStart(6)} ms   p95 ${quantile(times, 0.95).toFixed(1).padStart(6)} ms   (${mine.length} challenges)`,
      );
    }

    console.log("\nDatasets: an attempt on a cloned dataset vs one rebuilt from its setup (same run)");
    for (const engine of engines) {
      const dataset = datasets.find((d) => d.engine === engine);
      const challenge = challenges.find((c) => c.engine === engine);
      const sandbox: Sandbox | undefined = sandboxes[engine as Engine];
      if (!dataset || !challenge || !sandbox) continue;
      const request = (id: string) => ({
        dataset: { id, engine, setup: dataset.setup },
        query: challenge.solution,
        allowWrites: challenge.writes,
        ...(challenge.check === undefined ? {} : { check: challenge.check }),
      });
      await sandbox.run(request(dataset.id), defaultLimits);
      const cloned: number[] = [];
      const rebuilt: number[] = [];
      for (let i = 0; i < ROUNDS / 2; i++) {
        cloned.push(await timeIt(() => sandbox.run(request(dataset.id), defaultLimits)));
        // A new id is a dataset the sandbox has never built: it must run the setup.
        rebuilt.push(await timeIt(() => sandbox.run(request(`${dataset.id}-fresh-${i}`), defaultLimits)));
      }
      cloned.sort((a, b) => a - b);
      rebuilt.sort((a, b) => a - b);
      const c = quantile(cloned, 0.5);
      const r = quantile(rebuilt, 0.5);
      console.log(
        `  ${engine.padEnd(9)} cloned ${c.toFixed(1).padStart(6)} ms   rebuilt ${r.toFixed(1).padStart(6)} ms   rebuilt ÷ cloned ${(r / c).toFixed(2)}×`,
      );
    }
  } finally {
    await closeSandboxes(sandboxes);
  }
}
