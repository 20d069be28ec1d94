import type { Challenge, DatasetSpec } from "../curriculum/bank.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { Engine, FailureReason, Limits, RunOutcome, RunRequest, Sandbox } from "../sandbox.js";
import { alignColumnsByName, checkPlan, compareResults } from "./compare.js";
import { gradingDatasets } from "./variants.js";

export type Grade =
  | { verdict: "pass" }
  /** The query ran; its result (or plan) is not the answer. */
  | { verdict: "fail"; feedback: string }
  /** The query did not run to a result: the engine's error, a blocked feature, a timeout. */
  | { verdict: "error"; reason: FailureReason; feedback: string }
  /** The grader itself could not run; the attempt must not count. */
  | { verdict: "unavailable"; feedback: string };

export interface GraderOptions {
  sandboxes: Partial<Record<Engine, Sandbox>>;
  datasets: readonly DatasetSpec[];
  limits: Limits;
  logger: Logger;
  /** Times each grading per engine. */
  metrics?: Metrics;
}

/** What the learner reads when their query did not produce a result. */
function explainFailure(reason: FailureReason, message: string, limits: Limits): string {
  switch (reason) {
    case "syntax":
    case "runtime":
      return `The database said: ${message}`;
    case "blocked":
      return `${message} Challenges run in a sandbox that doesn't allow that.`;
    case "read-only":
      return `This task only reads data, and your query tries to change it (${message}).`;
    case "timeout":
      return `Your query ran longer than ${limits.timeMs / 1000} s and was stopped. Look for a join without a condition or a recursion without an end.`;
    case "memory":
      return "Your query needed more memory than a challenge may use and was stopped.";
    case "too-large":
    case "busy":
      return message;
    case "unavailable":
      return "The grader isn't available right now; your attempt wasn't counted. Try again in a minute.";
  }
}

/** The grade when the grader itself could not run: the attempt does not count. */
const unavailable = (limits: Limits): Grade => ({
  verdict: "unavailable",
  feedback: explainFailure("unavailable", "", limits),
});

/** Said when an answer holds on the visible dataset but not on a variant; the variant is never shown. */
export const HELD_ONLY_ON_VISIBLE_DATA =
  "Your query gives the right result on the data you can see, but not on another version of these tables that every answer is also checked on. Compute the answer from the data rather than writing its values into the query.";

/**
 * Runs a learner's query and the reference solution the same way, and compares them by value: on the
 * challenge's dataset, then on each of its variants.
 */
export class Grader {
  private readonly references = new Map<string, Promise<RunOutcome>>();

  constructor(private readonly options: GraderOptions) {}

  private request(challenge: Challenge, query: string, dataset: DatasetSpec, learner?: string): RunRequest {
    // The plan judged is always the task's own query, run after the learner's statements.
    const planQuery = challenge.plan ? (challenge.plan.query ?? challenge.check) : undefined;
    return {
      dataset: { id: dataset.id, engine: dataset.engine, setup: dataset.setup },
      query,
      allowWrites: challenge.writes,
      ...(challenge.check === undefined ? {} : { check: challenge.check }),
      ...(planQuery === undefined ? {} : { planQuery }),
      ...(learner === undefined ? {} : { learner }),
    };
  }

  /** The reference result on one dataset, computed once and kept. */
  private reference(
    challenge: Challenge,
    sandbox: Sandbox,
    dataset: DatasetSpec,
    index: number,
  ): Promise<RunOutcome> {
    const key = `${challenge.id}#${index}`;
    let outcome = this.references.get(key);
    if (!outcome) {
      outcome = sandbox.run(this.request(challenge, challenge.solution, dataset), this.options.limits);
      this.references.set(key, outcome);
      // A failed reference is not cached: the next attempt tries again.
      void outcome.then((o) => {
        if (!o.ok) this.references.delete(key);
      });
    }
    return outcome;
  }

  private datasetsOf(challenge: Challenge): { sandbox: Sandbox; datasets: DatasetSpec[] } | undefined {
    const sandbox = this.options.sandboxes[challenge.engine];
    const dataset = this.options.datasets.find((d) => d.id === challenge.dataset);
    return sandbox && dataset ? { sandbox, datasets: gradingDatasets(challenge, dataset) } : undefined;
  }

  /** The reference's outcome on dataset `index` (0: the challenge's own; i: its i-th variant), for authors' checks. */
  async referenceOn(challenge: Challenge, index: number): Promise<RunOutcome | undefined> {
    const found = this.datasetsOf(challenge);
    const dataset = found?.datasets[index];
    return found && dataset ? this.reference(challenge, found.sandbox, dataset, index) : undefined;
  }

  /** Grades on dataset `index` alone (0: the challenge's own; i: its i-th variant), for authors' checks. */
  async gradeOn(challenge: Challenge, query: string, index: number): Promise<Grade> {
    const found = this.datasetsOf(challenge);
    if (!found || index >= found.datasets.length) return unavailable(this.options.limits);
    return this.compare(
      challenge,
      query,
      undefined,
      found.sandbox,
      found.datasets[index] as DatasetSpec,
      index,
    );
  }

  /** `learner` keys the sandbox's fairness: one attempt per learner per engine at a time. */
  async grade(challenge: Challenge, query: string, learner?: string): Promise<Grade> {
    const started = performance.now();
    const grade = await this.gradeEverywhere(challenge, query, learner);
    const seconds = (performance.now() - started) / 1000;
    this.options.metrics?.challengeGraded(challenge.engine, grade.verdict, seconds);
    return grade;
  }

  /** The visible dataset first, whose feedback the learner reads; then each variant, which only passes or not. */
  private async gradeEverywhere(
    challenge: Challenge,
    query: string,
    learner: string | undefined,
  ): Promise<Grade> {
    const found = this.datasetsOf(challenge);
    if (!found) return unavailable(this.options.limits);
    const [visibleData, ...variants] = found.datasets as [DatasetSpec, ...DatasetSpec[]];
    const visible = await this.compare(challenge, query, learner, found.sandbox, visibleData, 0);
    if (visible.verdict !== "pass") return visible;
    for (const [i, variant] of variants.entries()) {
      const grade = await this.compare(challenge, query, learner, found.sandbox, variant, i + 1);
      if (grade.verdict === "unavailable") return grade;
      if (grade.verdict !== "pass") return { verdict: "fail", feedback: HELD_ONLY_ON_VISIBLE_DATA };
    }
    return visible;
  }

  private async compare(
    challenge: Challenge,
    query: string,
    learner: string | undefined,
    sandbox: Sandbox,
    dataset: DatasetSpec,
    index: number,
  ): Promise<Grade> {
    const { limits, logger } = this.options;
    const [expected, actual] = await Promise.all([
      this.reference(challenge, sandbox, dataset, index),
      sandbox.run(this.request(challenge, query, dataset, learner), limits),
    ]);
    if (!expected.ok) {
      logger.error(
        { challenge: challenge.id, dataset: dataset.id, reason: expected.reason, message: expected.message },
        "reference solution failed",
      );
      return unavailable(limits);
    }
    if (!actual.ok) {
      if (actual.reason === "unavailable") return unavailable(limits);
      if (actual.reason === "busy") return { verdict: "unavailable", feedback: actual.message };
      return {
        verdict: "error",
        reason: actual.reason,
        feedback: explainFailure(actual.reason, actual.message, limits),
      };
    }
    if (actual.truncated && !expected.truncated) {
      return {
        verdict: "fail",
        feedback: `Your query returned more than ${limits.maxRows} rows; the answer has ${expected.result.rows.length}.`,
      };
    }
    const result =
      challenge.engine === "mongodb" ? alignColumnsByName(expected.result, actual.result) : actual.result;
    const unknownKey = challenge.orderBy?.find((column) => !expected.result.columns.includes(column));
    if (unknownKey !== undefined) {
      logger.error(
        { challenge: challenge.id, column: unknownKey },
        "orderBy names a column the reference does not return",
      );
      return unavailable(limits);
    }
    const compared = compareResults(expected.result, result, {
      ordered: challenge.ordered,
      ...(challenge.orderBy ? { orderBy: challenge.orderBy } : {}),
    });
    if (!compared.same) return { verdict: "fail", feedback: compared.feedback };
    // The plan is judged on the visible dataset only: another size of data may rightly get another plan.
    if (challenge.plan && index === 0) {
      const planned = checkPlan(actual.plan ?? [], challenge.plan);
      if (!planned.ok) {
        return {
          verdict: "fail",
          feedback: `The result is right, but ${planned.problem}. ${challenge.plan.hint}`,
        };
      }
    }
    return { verdict: "pass" };
  }
}
