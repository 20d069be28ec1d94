import { and, count, desc, eq, max, sql, sum } from "drizzle-orm";
import type {
  AnswerStore,
  Attempt,
  AttemptDecision,
  AttemptFacts,
  AttemptSummary,
  RecordedAttempt,
} from "../core/ports/answers.js";
import { applyLedgerEntry, placeOf, readStreak } from "./aggregates.js";
import type { Db } from "./client.js";
import { groupCommitFor } from "./group-commit.js";
import { ledgerFactsOf } from "./ledger-entry.js";
import { answers, pointsLedger, questionsDelivered } from "./schema.js";

export function answerStore(db: Db): AnswerStore {
  const group = groupCommitFor(db.$client);
  // The answer path runs these for every answer: prepared once, not built and compiled per call.
  const byEventKey = db
    .select({ id: answers.id })
    .from(answers)
    .where(eq(answers.eventKey, sql.placeholder("eventKey")))
    .prepare();
  const scoredBefore = db
    .select({ id: answers.id })
    .from(answers)
    .where(
      and(
        eq(answers.memberId, sql.placeholder("memberId")),
        eq(answers.questionId, sql.placeholder("questionId")),
        eq(answers.scored, true),
      ),
    )
    .prepare();
  // Placeholders in values go through each column's encoder (Date, boolean); in a where clause they are bound as given.
  const insertAnswer = db
    .insert(answers)
    .values({
      memberId: sql.placeholder("memberId"),
      questionId: sql.placeholder("questionId"),
      response: sql.placeholder("response"),
      feedback: sql.placeholder("feedback"),
      correct: sql.placeholder("correct"),
      scored: sql.placeholder("scored"),
      eventKey: sql.placeholder("eventKey"),
      createdAt: sql.placeholder("createdAt"),
    })
    .returning({ id: answers.id })
    .prepare();
  const insertLedger = db
    .insert(pointsLedger)
    .values({
      spaceId: sql.placeholder("spaceId"),
      memberId: sql.placeholder("memberId"),
      cohortId: sql.placeholder("cohortId"),
      answerId: sql.placeholder("answerId"),
      questionId: sql.placeholder("questionId"),
      correct: sql.placeholder("correct"),
      points: sql.placeholder("points"),
      reason: sql.placeholder("reason"),
      week: sql.placeholder("week"),
      day: sql.placeholder("day"),
      trackId: sql.placeholder("trackId"),
      createdAt: sql.placeholder("createdAt"),
    })
    .prepare();
  const summaryQuery = db
    .select({
      attempts: count(),
      solved: sql<number>`max(${answers.correct})`,
      lastAt: max(answers.createdAt),
    })
    .from(answers)
    .where(
      and(
        eq(answers.memberId, sql.placeholder("memberId")),
        eq(answers.questionId, sql.placeholder("questionId")),
      ),
    )
    .prepare();
  // The ids go in as one JSON array: one prepared statement for any number of challenges.
  const challengeAttemptsQuery = db
    .select({
      questionId: answers.questionId,
      at: answers.createdAt,
      correct: answers.correct,
      query: answers.response,
      feedback: answers.feedback,
    })
    .from(answers)
    .where(
      and(
        eq(answers.memberId, sql.placeholder("memberId")),
        sql`${answers.questionId} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`,
      ),
    )
    .orderBy(desc(answers.createdAt), desc(answers.id))
    .limit(sql.placeholder("limit"))
    .prepare();
  const totalQuery = db
    .select({ total: sum(pointsLedger.points) })
    .from(pointsLedger)
    .where(eq(pointsLedger.memberId, sql.placeholder("memberId")))
    .prepare();

  /** What the core decides an attempt on, read inside the attempt's transaction. */
  const factsOf = (memberId: number, questionId: string): AttemptFacts => {
    const earlier = summaryQuery.get({ memberId, questionId });
    return {
      ...placeOf(db, memberId),
      attempts: earlier?.attempts ?? 0,
      solved: Number(earlier?.solved ?? 0) === 1,
      scored: scoredBefore.get({ memberId, questionId }) !== undefined,
      streaks: { day: readStreak(db, memberId, "day"), week: readStreak(db, memberId, "week") },
    };
  };

  /** One answer, its ledger entry and the aggregates it moves: all or nothing. */
  const write = (attempt: Attempt, decide: (facts: AttemptFacts) => AttemptDecision): RecordedAttempt => {
    if (attempt.eventKey && byEventKey.get({ eventKey: attempt.eventKey })) {
      return { stored: false, why: "replay" };
    }
    const before = factsOf(attempt.memberId, attempt.questionId);
    const decision = decide(before);
    if (!decision.record) return { stored: false, why: decision.why, before };
    const scored = decision.points > 0;
    const row = insertAnswer.get({
      memberId: attempt.memberId,
      questionId: attempt.questionId,
      response: attempt.response,
      feedback: attempt.feedback ?? null,
      correct: attempt.correct,
      scored,
      eventKey: attempt.eventKey,
      createdAt: attempt.at,
    });
    if (!row) throw new Error("the answer was not stored");
    const { cohortId, trackId } = before;
    // Every stored answer is an activity (streaks), whether or not it earns points.
    insertLedger.run({
      spaceId: attempt.spaceId,
      memberId: attempt.memberId,
      cohortId,
      answerId: row.id,
      questionId: attempt.questionId,
      correct: attempt.correct,
      points: decision.points,
      reason: decision.reason,
      week: decision.week,
      day: decision.day,
      trackId,
      createdAt: attempt.at,
    });
    applyLedgerEntry(db, ledgerFactsOf(attempt, decision, before));
    return { stored: true, scored, points: decision.points, streaks: decision.streaks, cohortId, before };
  };

  return {
    // Answers arriving together share one transaction (group commit); each is acknowledged after it.
    record: (attempt, decide) => group.run(() => write(attempt, decide)),
    async summary(memberId, questionId) {
      const row = summaryQuery.get({ memberId, questionId });
      return {
        attempts: row?.attempts ?? 0,
        solved: Number(row?.solved ?? 0) === 1,
        lastAt: row?.lastAt ?? null,
      };
    },
    async history(memberId) {
      const rows = db
        .select({
          questionId: answers.questionId,
          attempts: count(),
          solved: sql<number>`max(${answers.correct})`,
          lastAt: max(answers.createdAt),
        })
        .from(answers)
        .where(eq(answers.memberId, memberId))
        .groupBy(answers.questionId)
        .orderBy(desc(max(answers.createdAt)))
        .all();
      return new Map<string, AttemptSummary>(
        rows.map((r) => [
          r.questionId,
          { attempts: r.attempts, solved: Number(r.solved) === 1, lastAt: r.lastAt ?? null },
        ]),
      );
    },
    async totalPoints(memberId) {
      return Number(totalQuery.get({ memberId })?.total ?? 0);
    },
    async challengeAttempts(memberId, challengeIds, limit) {
      if (challengeIds.length === 0 || limit <= 0) return [];
      return challengeAttemptsQuery.all({ memberId, ids: JSON.stringify(challengeIds), limit });
    },
    async deliver(spaceId, memberId, questionId, week, at) {
      db.insert(questionsDelivered).values({ spaceId, memberId, questionId, week, deliveredAt: at }).run();
    },
  };
}
