import type { CohortMembers } from "../../../core/services/cohort-members.js";
import { count, points } from "./cohort-format.js";
import { ScrollRegion } from "./scroll-region.js";

/** Every member of a cohort with their progress, and the same as the CSV /stats csv attaches. */
export function MembersPage({ view }: { view: CohortMembers }) {
  const { cohort, rows, unit } = view;
  return (
    <>
      <h1>{cohort.name} · members</h1>
      <p>
        <a href={`/cohorts/${cohort.id}/members.csv`} download>
          Download CSV
        </a>{" "}
        <span class="muted">(the same file as /stats csv in chat)</span>
      </p>
      {rows.length === 0 ? (
        <p>Nobody has joined this cohort yet.</p>
      ) : (
        <ScrollRegion label="Members">
          <table>
            <caption>
              {count(rows.length)} {rows.length === 1 ? "member" : "members"}, best first; streaks count{" "}
              {unit}s and last active is the learner's own calendar day
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Learner</th>
                <th scope="col">Track</th>
                <th scope="col">Points</th>
                <th scope="col">Streak</th>
                <th scope="col">Longest streak</th>
                <th scope="col">Last active</th>
                <th scope="col">Challenges solved</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.rank ?? "—"}</td>
                  <th scope="row">{r.member.displayName}</th>
                  <td>{r.trackName ?? <span class="muted">none</span>}</td>
                  <td>{points(r.points)}</td>
                  <td>{count(r.streak.current)}</td>
                  <td>{count(r.streak.longest)}</td>
                  <td>{r.lastActive ?? <span class="muted">never</span>}</td>
                  <td>
                    {count(r.challengesSolved)} of {count(view.challengeCount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
