import type {
  AttemptFeedback,
  MyAttempt,
  MyChallenge,
  MyChallenges,
} from "../../../core/services/my-challenges.js";
import { ATTEMPTS_SHOWN } from "../../../core/services/my-challenges.js";

const counted = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function Feedback({ feedback }: { feedback: AttemptFeedback }) {
  switch (feedback.kind) {
    case "grader":
      return <p>{feedback.text}</p>;
    case "passed":
      return <p class="ok">Right on the dataset and on every hidden variant.</p>;
    case "not-kept":
      return <p class="muted">No feedback was kept for this attempt.</p>;
  }
}

function Attempt({
  attempt,
  number,
  challengeId,
}: {
  attempt: MyAttempt;
  number: number;
  challengeId: string;
}) {
  const heading = `${challengeId}-attempt-${number}`;
  return (
    <li>
      <article aria-labelledby={heading}>
        <h3 id={heading}>
          Attempt {number}:{" "}
          {attempt.correct ? <span class="badge ok">right</span> : <span class="badge bad">not yet</span>}{" "}
          <time datetime={attempt.iso}>{attempt.when}</time>
        </h3>
        <pre>
          <code>{attempt.query}</code>
        </pre>
        <Feedback feedback={attempt.feedback} />
      </article>
    </li>
  );
}

function Challenge({ challenge }: { challenge: MyChallenge }) {
  const heading = `challenge-${challenge.id}`;
  const hidden = challenge.attemptCount - challenge.attempts.length;
  return (
    <section class="card" aria-labelledby={heading}>
      <h2 id={heading}>{challenge.title}</h2>
      <p>
        {challenge.solved ? (
          <span class="badge ok">solved</span>
        ) : (
          <span class="badge warn">not solved yet</span>
        )}{" "}
        <code>{challenge.id}</code> · {challenge.engine} · week {challenge.week} · {challenge.difficulty} ·{" "}
        {counted(challenge.attemptCount, "attempt")}
      </p>
      <ol reversed start={challenge.attemptCount}>
        {challenge.attempts.map((attempt, index) => (
          <Attempt attempt={attempt} number={challenge.attemptCount - index} challengeId={challenge.id} />
        ))}
      </ol>
      {hidden > 0 ? <p class="muted">{counted(hidden, "older attempt")} not shown.</p> : null}
    </section>
  );
}

/** The learner's own challenge attempts: each challenge tried, newest first, with verdict, query and feedback. */
export function MyChallengesPage({ view }: { view: MyChallenges }) {
  return (
    <>
      <h1>My challenges</h1>
      <p>
        Solved {view.solved} of {counted(view.available, "challenge")}. Times in {view.zone}. Only you can see
        the queries you sent.
      </p>
      {view.truncated ? (
        <p class="muted">Showing your newest {ATTEMPTS_SHOWN} attempts; older ones are left out.</p>
      ) : null}
      {view.challenges.length === 0 ? (
        <section class="card" aria-labelledby="no-attempts">
          <h2 id="no-attempts">No attempts yet</h2>
          <p>
            Challenges are graded by running your query. In chat, <code>/challenge list</code> shows them,{" "}
            <code>/challenge &lt;id&gt;</code> opens one and <code>/submit &lt;id&gt; &lt;query&gt;</code>{" "}
            sends your answer. Every attempt then shows here with the grader's feedback.
          </p>
        </section>
      ) : (
        view.challenges.map((challenge) => <Challenge challenge={challenge} />)
      )}
    </>
  );
}
