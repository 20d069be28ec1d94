import type { Challenge, DatasetSpec } from "../curriculum/bank.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { Engine, FailureReason, Limits, RunOutcome, RunRequest, Sandbox } from "../sandbox.js";
import { alignColumnsByName, checkPlan, compareResults } from "./compare.js";

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

/** Runs a learner's query and the reference solution the same way, and compares them by value. */
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

  /** The reference result, computed once per challenge and kept. */
  private reference(challenge: Challenge, sandbox: Sandbox, dataset: DatasetSpec): Promise<RunOutcome> {
    let outcome = this.references.get(challenge.id);
    if (!outcome) {
      outcome = sandbox.run(this.request(challenge, challenge.solution, dataset), this.options.limits);
      this.references.set(challenge.id, outcome);
      // A failed reference is not cached: the next attempt tries again.
      void outcome.then((o) => {
        if (!o.ok) this.references.delete(challenge.id);
      });
    }
    return outcome;
  }

  /** `learner` keys the sandbox's fairness: one attempt per learner per engine at a time. */
  async grade(challenge: Challenge, query: string, learner?: string): Promise<Grade> {
    const started = performance.now();
    const grade = await this.compare(challenge, query, learner);
    const seconds = (performance.now() - started) / 1000;
    this.options.metrics?.challengeGraded(challenge.engine, grade.verdict, seconds);
    return grade;
  }

  private async compare(challenge: Challenge, query: string, learner: string | undefined): Promise<Grade> {
    const { limits, logger } = this.options;
    const sandbox = this.options.sandboxes[challenge.engine];
    const dataset = this.options.datasets.find((d) => d.id === challenge.dataset);
    if (!sandbox || !dataset) {
      return { verdict: "unavailable", feedback: explainFailure("unavailable", "", limits) };
    }
    const [expected, actual] = await Promise.all([
      this.reference(challenge, sandbox, dataset),
      sandbox.run(this.request(challenge, query, dataset, learner), limits),
    ]);
    if (!expected.ok) {
      logger.error(
        { challenge: challenge.id, reason: expected.reason, message: expected.message },
        "reference solution failed",
      );
      return { verdict: "unavailable", feedback: explainFailure("unavailable", "", limits) };
    }
    if (!actual.ok) {
      if (actual.reason === "unavailable")
        return { verdict: "unavailable", feedback: explainFailure("unavailable", "", limits) };
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
    const compared = compareResults(expected.result, result, { ordered: challenge.ordered });
    if (!compared.same) return { verdict: "fail", feedback: compared.feedback };
    if (challenge.plan) {
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
