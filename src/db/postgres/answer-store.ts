import type { Pool } from "pg";
import type {
  AnswerStore,
  AttemptFacts,
  AttemptSummary,
  ChallengeAttempt,
} from "../../core/ports/answers.js";
import { emptyStreak } from "../../core/rules/streak.js";
import { ledgerFactsOf } from "../ledger-entry.js";
import { applyLedgerEntry, lockPlace, readStreaks } from "./aggregates.js";
import { type Conn, row, rows, transaction } from "./tx.js";

interface SummaryRow {
  attempts: number;
  solved: boolean;
  lastAt: Date | null;
}

async function summaryOf(conn: Conn, memberId: number, questionId: string): Promise<SummaryRow> {
  const found = await row<SummaryRow>(
    conn,
    `SELECT count(*)::integer AS attempts, coalesce(bool_or(correct), false) AS solved, max(created_at) AS "lastAt"
     FROM answers WHERE member_id = $1 AND question_id = $2`,
    [memberId, questionId],
    "answers-summary",
  );
  return found ?? { attempts: 0, solved: false, lastAt: null };
}

export function answerStore(pool: Pool): AnswerStore {
  return {
    async record(attempt, decide) {
      return transaction(pool, async (conn) => {
        // Every answer of one learner queues on their member row: facts read here hold until the commit.
        const place = await lockPlace(conn, attempt.memberId);
        if (attempt.eventKey) {
          const seen = await row(
            conn,
            "SELECT 1 FROM answers WHERE event_key = $1",
            [attempt.eventKey],
            "answers-seen",
          );
          if (seen) return { stored: false, why: "replay" } as const;
        }
        // One read for the attempts, whether one was right and whether one scored: a round trip less per answer.
        const earlier = await row<SummaryRow & { scored: boolean }>(
          conn,
          `SELECT count(*)::integer AS attempts, coalesce(bool_or(correct), false) AS solved,
             coalesce(bool_or(scored), false) AS scored
           FROM answers WHERE member_id = $1 AND question_id = $2`,
          [attempt.memberId, attempt.questionId],
          "answers-facts",
        );
        const streaks = await readStreaks(conn, attempt.memberId);
        const before: AttemptFacts = {
          ...place,
          attempts: earlier?.attempts ?? 0,
          solved: earlier?.solved ?? false,
          scored: earlier?.scored ?? false,
          streaks: { day: streaks.get("day") ?? emptyStreak, week: streaks.get("week") ?? emptyStreak },
        };
        const decision = decide(before);
        if (!decision.record) return { stored: false, why: decision.why, before } as const;
        const scores = decision.points > 0;
        const stored = await row<{ id: number }>(
          conn,
          `INSERT INTO answers (member_id, question_id, response, correct, scored, event_key, created_at, feedback)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            attempt.memberId,
            attempt.questionId,
            attempt.response,
            attempt.correct,
            scores,
            attempt.eventKey,
            attempt.at,
            attempt.feedback ?? null,
          ],
          "answers-insert",
        );
        if (!stored) throw new Error("the answer was not stored");
        await conn.query({
          name: "answers-ledger",
          text: `INSERT INTO points_ledger (space_id, member_id, cohort_id, answer_id, question_id, correct, points,
                   reason, week, day, track_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          values: [
            attempt.spaceId,
            attempt.memberId,
            place.cohortId,
            stored.id,
            attempt.questionId,
            attempt.correct,
            decision.points,
            decision.reason,
            decision.week,
            decision.day,
            place.trackId,
            attempt.at,
          ],
        });
        await applyLedgerEntry(conn, ledgerFactsOf(attempt, decision, place));
        return {
          stored: true,
          scored: scores,
          points: decision.points,
          cohortId: place.cohortId,
          before,
          streaks: decision.streaks,
        } as const;
      });
    },
    async summary(memberId, questionId) {
      return summaryOf(pool, memberId, questionId);
    },
    async history(memberId) {
      const found = await rows<SummaryRow & { questionId: string }>(
        pool,
        `SELECT question_id AS "questionId", count(*)::integer AS attempts, bool_or(correct) AS solved,
           max(created_at) AS "lastAt"
         FROM answers WHERE member_id = $1 GROUP BY question_id ORDER BY max(created_at) DESC`,
        [memberId],
      );
      return new Map<string, AttemptSummary>(
        found.map((r) => [r.questionId, { attempts: r.attempts, solved: r.solved, lastAt: r.lastAt }]),
      );
    },
    async totalPoints(memberId) {
      const found = await row<{ total: string | number | null }>(
        pool,
        "SELECT sum(points) AS total FROM points_ledger WHERE member_id = $1",
        [memberId],
        "answers-total",
      );
      return Number(found?.total ?? 0);
    },
    async challengeAttempts(memberId, challengeIds, limit) {
      if (challengeIds.length === 0 || limit <= 0) return [];
      return rows<ChallengeAttempt>(
        pool,
        `SELECT question_id AS "questionId", created_at AS at, correct, response AS query, feedback
         FROM answers WHERE member_id = $1 AND question_id = ANY($2::text[])
         ORDER BY created_at DESC, id DESC LIMIT $3`,
        [memberId, [...challengeIds], limit],
        "answers-challenge-attempts",
      );
    },
    async deliver(spaceId, memberId, questionId, week, at) {
      await pool.query(
        `INSERT INTO questions_delivered (space_id, member_id, question_id, week, delivered_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [spaceId, memberId, questionId, week, at],
      );
    },
  };
}
