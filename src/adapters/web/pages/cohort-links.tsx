/** The pages of one cohort, as a small navigation above each of them. */
export type CohortPage = "overview" | "schedule" | "members" | "bank";

const pages: { page: CohortPage; label: string; path: string }[] = [
  { page: "overview", label: "Overview", path: "" },
  { page: "schedule", label: "Schedule", path: "/schedule" },
  { page: "members", label: "Members", path: "/members" },
  { page: "bank", label: "Question bank", path: "/bank" },
];

export function CohortLinks({ cohortId, current }: { cohortId: number; current: CohortPage }) {
  return (
    <nav aria-label="This cohort" class="subnav">
      <ul>
        <li>
          <a href="/cohorts">All cohorts</a>
        </li>
        {pages.map((p) => (
          <li>
            <a href={`/cohorts/${cohortId}${p.path}`} aria-current={p.page === current ? "page" : undefined}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
