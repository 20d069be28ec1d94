import { raw } from "hono/html";
import { barChartSvg } from "../../../core/pictures/charts.js";
import type { Standing } from "../../../core/ports/progress.js";
import { TOTAL_WEEKS } from "../../../core/rules/schedule.js";
import type { StreakUnit } from "../../../core/rules/streak.js";
import { describeProgress } from "../../../core/schedules/timeline.js";
import {
  type CohortHealth,
  INACTIVE_DAYS,
  type LearnerAtRisk,
  MIN_ATTEMPTS,
  RECENT_DAYS,
  type RiskReason,
} from "../../../core/services/cohort-health.js";
import { count, percentOf, points, weekName } from "./cohort-format.js";
import { ScrollRegion } from "./scroll-region.js";

/** More at-risk learners than this are counted, not listed: the members page has everyone. */
const AT_RISK_SHOWN = 50;

function reasonWords(reason: RiskReason, unit: StreakUnit): string {
  switch (reason.kind) {
    case "streak-broken":
      return `A ${count(reason.length)}-${unit} streak broke (last active ${reason.lastActive ?? "never"})`;
    case "inactive":
      return reason.days === null
        ? "Has not answered anything yet"
        : `No answer in ${count(reason.days)} days (last active ${reason.lastActive})`;
    case "behind":
      return reason.lastWeek === null
        ? `Nothing answered in any week; the cohort is in week ${reason.week}`
        : `Last answered in week ${reason.lastWeek}; the cohort is in week ${reason.week}`;
  }
}

function Board({
  caption,
  standings,
  empty,
}: {
  caption: string;
  standings: readonly Standing[];
  empty: string;
}) {
  if (standings.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ScrollRegion label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Learner</th>
            <th scope="col">Points</th>
          </tr>
        </thead>
        <tbody>
          {standings.map((s) => (
            <tr>
              <td>{s.rank}</td>
              <th scope="row">{s.member.displayName}</th>
              <td>{points(s.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Participation({ view }: { view: CohortHealth }) {
  const { participation, memberCount } = view;
  if (participation.length === 0) return <p class="muted">Nobody has answered anything yet.</p>;
  const chart = barChartSvg({
    title: "Learners active per week",
    bars: participation.map((p) => ({
      label: weekName(p.week),
      value: p.learners,
      valueText: `${count(p.learners)} (${percentOf(p.learners, memberCount)})`,
    })),
    max: memberCount,
  });
  return (
    <>
      <figure>{raw(chart)}</figure>
      <ScrollRegion label="Participation per week">
        <table>
          <caption>Learners who answered something in each week of the cohort</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Active learners</th>
              <th scope="col">Of the members</th>
              <th scope="col">Points earned</th>
            </tr>
          </thead>
          <tbody>
            {participation.map((p) => (
              <tr>
                <th scope="row">{weekName(p.week)}</th>
                <td>{count(p.learners)}</td>
                <td>{percentOf(p.learners, memberCount)}</td>
                <td>{points(p.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

function WeakestTopics({ view }: { view: CohortHealth }) {
  const topics = view.weakestTopics;
  if (topics.length === 0) {
    return <p class="muted">Not enough answers yet: a topic is shown once it has {MIN_ATTEMPTS} attempts.</p>;
  }
  const chart = barChartSvg({
    title: "Share of right answers per topic, weakest first",
    bars: topics.map((t) => ({
      label: t.title,
      value: Math.round((100 * t.correct) / t.attempts),
      valueText: percentOf(t.correct, t.attempts),
    })),
    max: 100,
  });
  return (
    <>
      <figure>{raw(chart)}</figure>
      <ol>
        {topics.map((t) => (
          <li>
            {t.title}: {percentOf(t.correct, t.attempts)} right of {count(t.attempts)} attempts
          </li>
        ))}
      </ol>
    </>
  );
}

function AtRisk({
  learners,
  unit,
  cohortId,
}: {
  learners: readonly LearnerAtRisk[];
  unit: StreakUnit;
  cohortId: number;
}) {
  if (learners.length === 0) return <p>Nobody right now.</p>;
  const shown = learners.slice(0, AT_RISK_SHOWN);
  return (
    <>
      <ScrollRegion label="Learners at risk">
        <table>
          <caption>Learners at risk, those with the most reasons first</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr>
                <th scope="row">{l.member.displayName}</th>
                <td>
                  <ul>
                    {l.reasons.map((r) => (
                      <li>{reasonWords(r, unit)}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {learners.length > shown.length ? (
        <p>
          And {count(learners.length - shown.length)} more: see{" "}
          <a href={`/cohorts/${cohortId}/members`}>every member</a>.
        </p>
      ) : null}
    </>
  );
}

/** A cohort's health for its moderators: where it stands, who takes part, what is hard, who is slipping. */
export function CohortPage({ view }: { view: CohortHealth }) {
  const { cohort, progress, unit } = view;
  const week = progress.state === "running" ? progress.week : progress.state === "finished" ? TOTAL_WEEKS : 0;
  return (
    <>
      <h1>{cohort.name}</h1>

      <section aria-labelledby="progress">
        <h2 id="progress">Progress</h2>
        <p>
          The cohort {describeProgress(progress, cohort.timezone)}
          {view.weekTitle ? `: ${view.weekTitle}` : ""}.
        </p>
        <p>
          <label for="weeks-done">Weeks reached</label>{" "}
          <progress id="weeks-done" value={week} max={TOTAL_WEEKS}>
            {week} of {TOTAL_WEEKS}
          </progress>{" "}
          {week} of {TOTAL_WEEKS}
        </p>
        <p>
          {count(view.memberCount)} {view.memberCount === 1 ? "member" : "members"}; streaks count {unit}s;
          today is {view.today} in {cohort.timezone}.
        </p>
      </section>

      <section aria-labelledby="participation">
        <h2 id="participation">Participation per week</h2>
        <Participation view={view} />
      </section>

      <section aria-labelledby="weakest">
        <h2 id="weakest">Weakest topics</h2>
        <WeakestTopics view={view} />
      </section>

      <section aria-labelledby="at-risk">
        <h2 id="at-risk">Learners at risk</h2>
        <p class="muted">
          A streak that broke in the last {RECENT_DAYS} days; no answer in {INACTIVE_DAYS} days or more; or,
          from week 2 on, nothing answered in the cohort's current or previous week.
        </p>
        <AtRisk learners={view.atRisk} unit={unit} cohortId={cohort.id} />
      </section>

      <section aria-labelledby="boards">
        <h2 id="boards">Leaderboards</h2>
        <h3>{view.weekBoard ? `Week ${view.weekBoard.week}` : "This week"}</h3>
        {view.weekBoard ? (
          <Board
            caption={`Top ${view.weekBoard.standings.length} of week ${view.weekBoard.week}`}
            standings={view.weekBoard.standings}
            empty="No points yet this week."
          />
        ) : (
          <p class="muted">Only a running cohort has a board for the week.</p>
        )}
        <h3>All time</h3>
        <Board
          caption={`Top ${view.allTimeBoard.length} of all time`}
          standings={view.allTimeBoard}
          empty="No points yet."
        />
      </section>
    </>
  );
}
