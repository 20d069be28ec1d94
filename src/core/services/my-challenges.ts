import { engineNames } from "../commands/challenge-list.js";
import type { CommandContext } from "../commands/command.js";
import type { Identity } from "../ports/identity.js";
import { formatInZone } from "../rules/zoned.js";

/** The newest attempts a page lists; a learner's whole history is rarely longer. */
export const ATTEMPTS_SHOWN = 500;

/** What the grader said about one attempt, as far as it was kept. */
export type AttemptFeedback =
  | { kind: "grader"; text: string }
  | { kind: "passed" }
  /** A failed attempt stored before feedback was kept. */
  | { kind: "not-kept" };

export interface MyAttempt {
  /** The instant, for a `<time datetime>`. */
  iso: string;
  /** The same instant as the learner reads it, in their zone. */
  when: string;
  correct: boolean;
  /** The learner's own query: shown only to them. */
  query: string;
  feedback: AttemptFeedback;
}

export interface MyChallenge {
  id: string;
  title: string;
  /** The engine's name as people write it (PostgreSQL, MongoDB…). */
  engine: string;
  week: number;
  difficulty: string;
  solved: boolean;
  /** Every attempt the learner made at it, including any older than the ones listed. */
  attemptCount: number;
  /** The attempts listed, newest first. */
  attempts: MyAttempt[];
}

export interface MyChallenges {
  name: string;
  zone: string;
  /** Challenges the learner tried, the one tried most recently first. */
  challenges: MyChallenge[];
  solved: number;
  /** Challenges in the bank. */
  available: number;
  /** Older attempts were left out: only the newest ATTEMPTS_SHOWN are listed. */
  truncated: boolean;
}

type Deps = Pick<CommandContext, "store" | "curriculum" | "settings">;

function feedbackOf(correct: boolean, feedback: string | null): AttemptFeedback {
  if (feedback !== null) return { kind: "grader", text: feedback };
  return correct ? { kind: "passed" } : { kind: "not-kept" };
}

/** One learner's challenge attempts, grouped per challenge, with each verdict, query and feedback. Reads only. */
export async function myChallenges(deps: Deps, identity: Identity): Promise<MyChallenges> {
  const { member } = identity;
  const bank = deps.curriculum.bank.challenges;
  const byId = new Map(bank.map((challenge) => [challenge.id, challenge]));
  const cohort = member.cohortId === null ? undefined : await deps.store.cohorts.get(member.cohortId);
  const zone = member.timezone ?? cohort?.timezone ?? deps.settings.defaultTimezone;
  // One more than shown tells whether older attempts were left out.
  const [read, history] = await Promise.all([
    deps.store.answers.challengeAttempts(member.id, [...byId.keys()], ATTEMPTS_SHOWN + 1),
    deps.store.answers.history(member.id),
  ]);
  const attempts = read.slice(0, ATTEMPTS_SHOWN);

  // Attempts come newest first, so each challenge is met first at its latest attempt: insertion order is the page's.
  const grouped = new Map<string, MyChallenge>();
  for (const attempt of attempts) {
    const challenge = byId.get(attempt.questionId);
    if (!challenge) continue;
    let entry = grouped.get(challenge.id);
    if (!entry) {
      const summary = history.get(challenge.id);
      entry = {
        id: challenge.id,
        title: challenge.title,
        engine: engineNames[challenge.engine],
        week: challenge.week,
        difficulty: challenge.difficulty,
        solved: summary?.solved ?? false,
        attemptCount: summary?.attempts ?? 0,
        attempts: [],
      };
      grouped.set(challenge.id, entry);
    }
    entry.attempts.push({
      iso: attempt.at.toISOString(),
      when: formatInZone(attempt.at, zone),
      correct: attempt.correct,
      query: attempt.query,
      feedback: feedbackOf(attempt.correct, attempt.feedback),
    });
  }
  const challenges = [...grouped.values()];
  for (const challenge of challenges) {
    // An attempt read here and a summary read a moment before it must not disagree on the page.
    challenge.attemptCount = Math.max(challenge.attemptCount, challenge.attempts.length);
    challenge.solved ||= challenge.attempts.some((a) => a.correct);
  }
  return {
    name: member.displayName,
    zone,
    challenges,
    solved: bank.filter((c) => history.get(c.id)?.solved).length,
    available: bank.length,
    truncated: read.length > ATTEMPTS_SHOWN,
  };
}
