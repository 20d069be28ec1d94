import type { CohortOverview, NextPost } from "../../../core/services/cohort-overview.js";
import { count, percentOf, progressWords, When } from "./cohort-format.js";
import { ScrollRegion } from "./scroll-region.js";

const postWords: Record<Exclude<NextPost["kind"], "paused" | "none">, string> = {
  module: "Module",
  "wrap-up": "Wrap-up",
  reminder: "Reminder",
  "daily-question": "Question of the day",
};

function NextPostCell({ post, zone }: { post: NextPost; zone: string }) {
  switch (post.kind) {
    case "paused":
      return <span class="badge warn">Paused</span>;
    case "none":
      return <span class="muted">None</span>;
    default:
      return (
        <>
          {post.kind === "module" ? `Week ${post.week} module` : postWords[post.kind]}
          {", "}
          <When at={post.at} zone={zone} />
        </>
      );
  }
}

/** The moderator's list of the space's cohorts: each links to its own page. */
export function CohortsPage({ cohorts }: { cohorts: readonly CohortOverview[] }) {
  return (
    <>
      <h1>Cohorts</h1>
      {cohorts.length === 0 ? (
        <p>
          This space has no cohort yet. Create one in chat with <code>/cohort create &lt;name&gt;</code>.
        </p>
      ) : (
        <ScrollRegion label="Cohorts">
          <table>
            <caption>
              The cohorts of this space: their week, members, who answered something this week, and what they
              post next (in each cohort's time zone)
            </caption>
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Week</th>
                <th scope="col">Members</th>
                <th scope="col">Active this week</th>
                <th scope="col">Next post</th>
              </tr>
            </thead>
            <tbody>
              {cohorts.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`/cohorts/${c.cohort.id}`}>{c.cohort.name}</a>
                  </th>
                  <td>{progressWords(c.progress)}</td>
                  <td>{count(c.members)}</td>
                  <td>
                    {c.activeThisWeek === null
                      ? "—"
                      : `${count(c.activeThisWeek)} (${percentOf(c.activeThisWeek, c.members)})`}
                  </td>
                  <td>
                    <NextPostCell post={c.nextPost} zone={c.cohort.timezone} />
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
