import type { BankEntry, BankEntryKind, BankWeek, CohortBank } from "../../../core/services/cohort-bank.js";
import { count, plural } from "./cohort-format.js";
import { ScrollRegion } from "./scroll-region.js";

const kindWords: Record<BankEntryKind, string> = {
  single: "One choice",
  multiple: "Several choices",
  "true-false": "True or false",
  short: "Short answer",
  challenge: "Challenge",
};

const percentRight = (e: BankEntry) => (e.percentRight === null ? "—" : `${e.percentRight}%`);

function Items({ week }: { week: BankWeek }) {
  if (week.items.length === 0) return <p class="muted">No quiz items this week.</p>;
  return (
    <ScrollRegion label={`Quiz items of week ${week.week}`}>
      <table>
        <caption>Quiz items of week {week.week}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Kind</th>
            <th scope="col">Attempts</th>
            <th scope="col">Right</th>
            <th scope="col">Most common wrong choice</th>
          </tr>
        </thead>
        <tbody>
          {week.items.map((e) => (
            <tr>
              <th scope="row">
                <code>{e.id}</code>
                <br />
                <span class="muted">{e.summary}</span>
              </th>
              <td>{kindWords[e.kind]}</td>
              <td>{count(e.attempts)}</td>
              <td>{percentRight(e)}</td>
              <td>
                {e.commonWrong ? (
                  <>
                    {e.commonWrong.text} <span class="muted">({count(e.commonWrong.count)}×)</span>
                  </>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Challenges({ week }: { week: BankWeek }) {
  if (week.challenges.length === 0) return <p class="muted">No challenges this week.</p>;
  return (
    <ScrollRegion label={`Challenges of week ${week.week}`}>
      <table>
        <caption>Challenges of week {week.week}</caption>
        <thead>
          <tr>
            <th scope="col">Challenge</th>
            <th scope="col">Difficulty</th>
            <th scope="col">Attempts</th>
            <th scope="col">Right</th>
          </tr>
        </thead>
        <tbody>
          {week.challenges.map((e) => (
            <tr>
              <th scope="row">
                {e.summary}
                <br />
                <code>{e.id}</code>
              </th>
              <td>{e.difficulty}</td>
              <td>{count(e.attempts)}</td>
              <td>{percentRight(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The curriculum's items and challenges week by week, with how this cohort did on each. */
export function BankPage({ view }: { view: CohortBank }) {
  const { cohort, weeks } = view;
  return (
    <>
      <h1>{cohort.name} · question bank</h1>
      <p>
        Each quiz item and challenge with the attempts made in this cohort, the share that were right, and for
        choice items the wrong choice picked most often. Weeks with attempts are open.
      </p>
      {weeks.map((week) => (
        <section aria-labelledby={`week-${week.week}`}>
          <h2 id={`week-${week.week}`}>
            Week {week.week}: {week.title}
          </h2>
          <details open={week.attempts > 0}>
            <summary>
              {plural(week.items.length, "item")}, {plural(week.challenges.length, "challenge")},{" "}
              {plural(week.attempts, "attempt")}
            </summary>
            <Items week={week} />
            <Challenges week={week} />
          </details>
        </section>
      ))}
    </>
  );
}
