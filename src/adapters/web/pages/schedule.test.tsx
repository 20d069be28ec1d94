import { describe, expect, it } from "vitest";
import { HOSTILE, textOf } from "../../../../test/cohort-views.js";
import type { Post } from "../../../core/ports/posts.js";
import type { CohortScheduleView, ScheduleView } from "../../../core/services/schedule-view.js";
import { SchedulePage, type SchedulePageProps } from "./schedule.js";

const at = (iso: string) => new Date(iso);
const module: ScheduleView = {
  kind: "module",
  description: "Mondays at 09:00",
  spec: "mon 09:00",
  timezone: "Europe/Berlin",
  state: "running",
  pausedAt: null,
  upcoming: [
    { at: at("2026-03-16T08:00:00Z"), what: "week 3" },
    { at: at("2026-03-23T08:00:00Z"), what: "week 4" },
  ],
};
const view: CohortScheduleView = {
  progressText: "is in week 2 of 20",
  channelExternalId: "study",
  module,
  others: [],
};
const post = (changes: Partial<Post>): Post => ({
  id: 1,
  cohortId: 7,
  week: 2,
  kind: "module",
  dueAt: at("2026-03-09T08:00:00Z"),
  status: "sent",
  attempts: 1,
  nextAttemptAt: null,
  sentAt: at("2026-03-09T08:00:01Z"),
  error: null,
  ...changes,
});
const props = (changes: Partial<SchedulePageProps> = {}): SchedulePageProps => ({
  cohort: { id: 7, name: "spring", timezone: "Europe/Berlin" },
  view,
  posts: [],
  csrf: "form-token",
  ...changes,
});

describe("SchedulePage", () => {
  it("given a running module schedule, lists its next fires in the cohort's zone and in UTC with what each posts", () => {
    const text = textOf(String(<SchedulePage {...props()} />));
    expect(text).toContain("Mon 2026-03-16 09:00 CET");
    expect(text).toContain("Mon 2026-03-16 08:00 UTC");
    expect(text).toContain("week 3");
    expect(text).toContain("Reminders");
    expect(text).toContain("Not set.");
  });

  it("given every form, each carries the session's form token", () => {
    const html = String(<SchedulePage {...props()} />);
    const forms = html.match(/<form /g)?.length ?? 0;
    const tokens = html.match(/name="_csrf" value="form-token"/g)?.length ?? 0;
    expect(forms).toBeGreaterThanOrEqual(7);
    expect(tokens).toBe(forms);
  });

  it("given a refused time zone, the message sits beside that field only, marked invalid, with what was typed kept", () => {
    const html = String(
      <SchedulePage
        {...props({
          error: {
            form: "module",
            field: "tz",
            message: '"Mars/Base" is not a time zone I know.',
            values: { when: "tue 10:00", tz: "Mars/Base" },
          },
        })}
      />,
    );
    expect(html).toMatch(/id="module-tz"[^>]*aria-invalid="true"/);
    expect(html).not.toMatch(/id="module-when"[^>]*aria-invalid/);
    expect(html).toContain('id="module-tz-error"');
    expect(html).toContain('value="tue 10:00"');
    expect(html).toContain("&quot;Mars/Base&quot; is not a time zone I know.");
    expect(html).not.toMatch(/id="reminder-tz"[^>]*aria-invalid/);
  });

  it("given a paused module, offers resume instead of pause and says since when", () => {
    const paused = {
      ...view,
      module: { ...module, state: "paused" as const, pausedAt: at("2026-03-10T12:00:00Z"), upcoming: [] },
    };
    const text = textOf(String(<SchedulePage {...props({ view: paused })} />));
    expect(text).toContain("Resume");
    expect(text).not.toMatch(/\bPause\b/);
    expect(text).toContain("Paused since Tue 2026-03-10 13:00 CET");
  });

  it("given posts that failed or were skipped, the history says why, with hostile text escaped", () => {
    const html = String(
      <SchedulePage
        {...props({
          posts: [
            post({ id: 2, status: "failed", attempts: 5, error: HOSTILE }),
            post({ id: 3, status: "skipped", attempts: 0, error: "missed while the bot was down" }),
          ],
        })}
      />,
    );
    const text = textOf(html);
    expect(text).toContain("failed");
    expect(text).toContain("missed while the bot was down");
    expect(html).not.toContain("<script>");
  });
});
