/** Runs of one dataset on a sandbox under test, and their successful outcomes. */
import type { Dataset, Limits, RunOutcome, RunRequest, Sandbox } from "../src/core/sandbox.js";

/** The outcome, when it succeeded; throws with the reason and message when it did not. */
export function ok(outcome: RunOutcome): Extract<RunOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.reason}: ${outcome.message}`);
  return outcome;
}

/**
 * `run` sends a query about `dataset` to the sandbox, read-only unless `extra` says otherwise, within
 * `limits` unless given others; `rows` is a successful run's rows. The sandbox is asked for at each run,
 * so a test file may make it in its beforeAll.
 */
export function datasetRuns(sandbox: () => Pick<Sandbox, "run">, dataset: Dataset, limits: Limits) {
  const run = (query: string, extra: Partial<RunRequest> = {}, at: Limits = limits): Promise<RunOutcome> =>
    sandbox().run({ dataset, query, allowWrites: false, ...extra }, at);
  const rows = async (query: string, extra: Partial<RunRequest> = {}, at: Limits = limits) =>
    ok(await run(query, extra, at)).result.rows;
  return { run, rows };
}
