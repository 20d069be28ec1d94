import { raw } from "hono/html";
import type {
  CohortWeek,
  MyActivity,
  MyProgress,
  MyProgressInCohort,
  MyReviews,
  MyTrack,
} from "../../../core/services/my-progress.js";
import { ScrollRegion } from "./scroll-region.js";

const number = (n: number) => n.toLocaleString("en-US");
const counted = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;

function weekText(week: CohortWeek): string {
  switch (week.state) {
    case "running":
      return `Week ${week.week} of ${week.of}${week.title ? `: ${week.title}` : ""}${week.paused ? " (paused)" : ""}`;
    case "finished":
      return "Finished: all 20 weeks";
    case "not-started":
      return week.startsAt ? `Starts ${week.startsAt}` : "Not started (paused)";
  }
}

type Streak = MyProgressInCohort["streak"];

/** What the streak's state asks of the learner, in the cohort's unit. */
function streakText(streak: Streak): string {
  const now = streak.unit === "day" ? "today" : "this week";
  switch (streak.status) {
    case "none":
      return "No streak yet: answer a quiz question or submit a challenge to start one.";
    case "active":
      return `Active ${now}: the streak is safe.`;
    case "at-risk":
      return `Not active ${now} yet: one answer keeps the streak going.`;
    case "frozen":
      return `Missed ${counted(streak.freezesNeeded, streak.unit)}; your freezes cover it if you're active ${now}.`;
    case "broken":
      return `The streak ended${streak.brokeOn ? ` on ${streak.brokeOn}` : ""}. A new one starts with your next answer.`;
  }
}

const streakTone = { none: "muted", active: "ok", "at-risk": "warn", frozen: "warn", broken: "bad" } as const;

function Summary({ view }: { view: MyProgressInCohort }) {
  const { streak } = view;
  return (
    <dl class="grid">
      <div class="card">
        <dt>Cohort</dt>
        <dd>{view.cohort.name}</dd>
      </div>
      <div class="card">
        <dt>Week</dt>
        <dd>{weekText(view.cohort.week)}</dd>
      </div>
      <div class="card">
        <dt>Points</dt>
        <dd>{number(view.points)}</dd>
      </div>
      <div class="card">
        <dt>Rank (all time)</dt>
        <dd>{view.rank ? `${number(view.rank.rank)} of ${number(view.rank.of)}` : "Not on the board yet"}</dd>
      </div>
      <div class="card">
        <dt>Level</dt>
        <dd>{view.track ? view.track.level.title : "Join a track to climb its ladder"}</dd>
      </div>
      <div class="card">
        <dt>Streak</dt>
        <dd>{counted(streak.current, streak.unit)}</dd>
      </div>
    </dl>
  );
}

function Activity({ activity, zone }: { activity: MyActivity; zone: string }) {
  const { summary } = activity;
  return (
    <>
      <figure>
        {raw(activity.svg)}
        <figcaption>
          Active on {counted(summary.activeDays, "day")} of the last {activity.weeks} weeks ({activity.first}{" "}
          to {activity.last}, days in {zone}), {counted(summary.activities, "activity", "activities")} in all.{" "}
          {summary.busiest
            ? `Busiest day: ${summary.busiest.date}, with ${counted(summary.busiest.count, "activity", "activities")}.`
            : "No activity yet in these weeks."}
        </figcaption>
      </figure>
      <ScrollRegion label="Activity per week">
        <table>
          <caption>Activity per week, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Week starting</th>
              <th scope="col">Active days</th>
              <th scope="col">Activities</th>
            </tr>
          </thead>
          <tbody>
            {activity.perWeek.map((week) => (
              <tr>
                <th scope="row">{week.monday}</th>
                <td>{number(week.activeDays)}</td>
                <td>{number(week.activities)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

function StreakSection({ view }: { view: MyProgressInCohort }) {
  const { streak } = view;
  return (
    <section aria-labelledby="me-streak">
      <h2 id="me-streak">Streak</h2>
      <p class={streakTone[streak.status]}>{streakText(streak)}</p>
      <ul>
        <li>Current: {counted(streak.current, streak.unit)}</li>
        <li>Longest: {counted(streak.longest, streak.unit)}</li>
        <li>
          Freezes held: {streak.freezes} of {streak.maxFreezes}
        </li>
      </ul>
      <p class="muted">
        A freeze is earned every 7 {streak.unit}s in a row and covers a missed {streak.unit}.
      </p>
      <Activity activity={view.activity} zone={view.zone} />
    </section>
  );
}

function TrackSection({ track, points }: { track: MyTrack | null; points: number }) {
  if (!track) {
    return (
      <section aria-labelledby="me-track">
        <h2 id="me-track">Track</h2>
        <p>
          You haven't joined a role track yet. See them in chat with <code>/track list</code>, then join one,
          e.g. <code>/track join dba</code>.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="me-track">
      <h2 id="me-track">Track: {track.name}</h2>
      <p>
        <strong>{track.level.title}</strong> ({track.level.experience}) with {counted(points, "point")}.{" "}
        {track.next
          ? `${counted(track.next.pointsToGo, "point")} to ${track.next.title}.`
          : "The top of the ladder."}
      </p>
      <p>
        <label for="me-mastered">
          {track.mastered} of {counted(track.topics.length, "topic")} mastered
        </label>{" "}
        <progress id="me-mastered" value={track.mastered} max={Math.max(track.topics.length, 1)}>
          {track.mastered} of {track.topics.length}
        </progress>
      </p>
      <h3>Career ladder</h3>
      <ol>
        {track.ladder.map((step) => (
          <li aria-current={step.current ? "step" : undefined}>
            <strong>{step.title}</strong> ({step.experience}; {number(step.minPoints)}+ points)
            {step.current ? (
              <>
                {" "}
                <span class="badge ok">you are here</span>
              </>
            ) : null}
          </li>
        ))}
      </ol>
      <h3>Topics</h3>
      <ScrollRegion label="Topics of the track">
        <table>
          <caption>
            Topics of the track: a topic is mastered when every question and challenge on it is solved
          </caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Topic</th>
              <th scope="col">Solved</th>
              <th scope="col">Mastered</th>
            </tr>
          </thead>
          <tbody>
            {track.topics.map((topic) => (
              <tr>
                <td>{topic.week}</td>
                <th scope="row">{topic.title}</th>
                <td>
                  {topic.solved} of {topic.total}
                </td>
                <td>
                  {topic.done ? <span class="badge ok">mastered</span> : <span class="muted">not yet</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function ReviewsSection({ reviews }: { reviews: MyReviews }) {
  return (
    <section aria-labelledby="me-reviews">
      <h2 id="me-reviews">Reviews</h2>
      {reviews.state === "due" ? (
        <p class="warn">
          A review is due now (<code>{reviews.questionId}</code>, due since {reviews.dueSince}). Answer it in
          chat with <code>/review</code>.
        </p>
      ) : reviews.state === "later" ? (
        <p>
          Nothing to review right now. Your next review (<code>{reviews.questionId}</code>) is due{" "}
          {reviews.dueAt}.
        </p>
      ) : (
        <p>Nothing to review: questions you miss in a quiz come back here.</p>
      )}
    </section>
  );
}

/** The learner's own progress: cohort week, points, rank, level, streak with its heat-map, track and reviews. */
export function MyProgressPage({ view }: { view: MyProgress }) {
  if (!view.inCohort) {
    return (
      <>
        <h1>My progress</h1>
        <section class="card" aria-labelledby="me-no-cohort">
          <h2 id="me-no-cohort">You're not in a cohort yet</h2>
          <p>
            Your week, points, rank, streak and track progress show here once you join one. In chat,{" "}
            <code>/cohort info</code> lists the cohorts and <code>/cohort join &lt;name&gt;</code> joins one.
          </p>
        </section>
      </>
    );
  }
  return (
    <>
      <h1>My progress</h1>
      <p class="muted">
        {view.name} · {view.cohort.name} · times in {view.zone}
      </p>
      <Summary view={view} />
      <StreakSection view={view} />
      <TrackSection track={view.track} points={view.points} />
      <ReviewsSection reviews={view.reviews} />
    </>
  );
}
