import type { Post } from "../../../core/ports/posts.js";
import { formatInZone } from "../../../core/rules/zoned.js";
import type { CohortScheduleView, ScheduleView } from "../../../core/services/schedule-view.js";
import { ScrollRegion } from "./scroll-region.js";

export type ScheduleForm = "module" | "reminder" | "daily-question";

/** A form sent back with what was wrong: the field it was about and what the moderator typed. */
export type FormError =
  | { form: ScheduleForm; field: string; message: string; values: { when: string; tz: string } }
  | { form: "channel"; field: "channel"; message: string; values: { channel: string } };

export interface SchedulePageProps {
  cohort: { id: number; name: string; timezone: string };
  view: CohortScheduleView;
  /** Newest first. */
  posts: Post[];
  csrf: string;
  error?: FormError | undefined;
  /** A refusal of one of the buttons (pause, resume, skip, post now). */
  actionError?: string | undefined;
}

const titles: Record<ScheduleForm, string> = {
  module: "Weekly module",
  reminder: "Reminders",
  "daily-question": "Question of the day",
};

const examples: Record<ScheduleForm, string> = {
  module: "mon 09:00, weekdays 18:30, or cron like 0 9 * * 1",
  reminder: "wed 18:00, daily 07:30, cron, or off",
  "daily-question": "daily 08:00, weekdays 12:30, cron, or off",
};

const statusWords: Record<Post["status"], string> = {
  claimed: "waiting to send",
  sent: "sent",
  failed: "failed",
  skipped: "skipped",
};

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function Fires({ schedule, label }: { schedule: ScheduleView; label: string }) {
  if (schedule.state === "finished") return <p>The roadmap is done: nothing more to post.</p>;
  if (schedule.state === "paused") {
    return (
      <p>
        Paused{schedule.pausedAt ? ` since ${formatInZone(schedule.pausedAt, schedule.timezone)}` : ""}.
        Resume picks up where it stopped.
      </p>
    );
  }
  if (schedule.upcoming.length === 0) return <p>No upcoming posts.</p>;
  const withWhat = schedule.kind === "module";
  return (
    <ScrollRegion label={`${label}: the next five`}>
      <table>
        <caption>{label}: the next five</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{schedule.timezone}</th>
            <th scope="col">UTC</th>
            {withWhat && <th scope="col">Posts</th>}
          </tr>
        </thead>
        <tbody>
          {schedule.upcoming.map((fire, i) => (
            <tr>
              <td>{i + 1}</td>
              <td>{formatInZone(fire.at, schedule.timezone)}</td>
              <td>{formatInZone(fire.at, "UTC")}</td>
              {withWhat && <td>{fire.what}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function WhenForm(props: {
  cohortId: number;
  form: ScheduleForm;
  schedule: ScheduleView | undefined;
  defaultZone: string;
  csrf: string;
  error: FormError | undefined;
}) {
  const { form, schedule, error } = props;
  const mine = error && error.form !== "channel" && error.form === form ? error : undefined;
  const when = mine ? mine.values.when : (schedule?.spec ?? "");
  const tz = mine ? mine.values.tz : (schedule?.timezone ?? props.defaultZone);
  const id = (field: string) => `${form}-${field}`;
  const fieldError = (field: string) =>
    mine?.field === field ? (
      <p class="field-error" id={id(`${field}-error`)}>
        {mine.message}
      </p>
    ) : null;
  const described = (field: string) =>
    mine?.field === field ? `${id(`${field}-hint`)} ${id(`${field}-error`)}` : id(`${field}-hint`);
  return (
    <form method="post" action={`/cohorts/${props.cohortId}/schedule/${form}`} class="stack" novalidate>
      <Csrf token={props.csrf} />
      <div class="field">
        <label for={id("when")}>When</label>
        <input
          id={id("when")}
          name="when"
          value={when}
          required
          maxlength={100}
          aria-describedby={described("when")}
          aria-invalid={mine?.field === "when" ? "true" : undefined}
        />
        <p class="hint" id={id("when-hint")}>
          {examples[form]}
        </p>
        {fieldError("when")}
      </div>
      <div class="field">
        <label for={id("tz")}>Time zone</label>
        <input
          id={id("tz")}
          name="tz"
          value={tz}
          maxlength={64}
          aria-describedby={described("tz")}
          aria-invalid={mine?.field === "tz" ? "true" : undefined}
        />
        <p class="hint" id={id("tz-hint")}>
          IANA name, e.g. Europe/Berlin or UTC
        </p>
        {fieldError("tz")}
      </div>
      <button type="submit">Save {titles[form].toLowerCase()}</button>
    </form>
  );
}

function ActionButton(props: {
  cohortId: number;
  action: string;
  label: string;
  csrf: string;
  confirm?: string;
}) {
  return (
    <form
      method="post"
      action={`/cohorts/${props.cohortId}/schedule/${props.action}`}
      class="inline"
      data-confirm={props.confirm}
    >
      <Csrf token={props.csrf} />
      <button type="submit">{props.label}</button>
    </form>
  );
}

function ChannelForm(props: {
  cohortId: number;
  current: string | null;
  csrf: string;
  error: FormError | undefined;
}) {
  const mine = props.error?.form === "channel" ? props.error : undefined;
  return (
    <form method="post" action={`/cohorts/${props.cohortId}/schedule/channel`} class="stack" novalidate>
      <Csrf token={props.csrf} />
      <div class="field">
        <label for="channel-channel">Channel</label>
        <input
          id="channel-channel"
          name="channel"
          value={mine ? mine.values.channel : (props.current ?? "")}
          maxlength={100}
          aria-describedby={mine ? "channel-hint channel-error" : "channel-hint"}
          aria-invalid={mine ? "true" : undefined}
        />
        <p class="hint" id="channel-hint">
          A channel of this server or workspace, by #name or id; the same check as /schedule channel.
        </p>
        {mine && (
          <p class="field-error" id="channel-error">
            {mine.message}
          </p>
        )}
      </div>
      <button type="submit">Save channel</button>
    </form>
  );
}

/** The cohort's schedules, their next fires in its zone and in UTC, the forms that change them, and what was posted. */
export function SchedulePage(props: SchedulePageProps) {
  const { cohort, view, csrf, error } = props;
  const side = (kind: ScheduleForm) => view.others.find((s) => s.kind === kind);
  const sections: { form: ScheduleForm; schedule: ScheduleView | undefined }[] = [
    { form: "module", schedule: view.module },
    { form: "reminder", schedule: side("reminder") },
    { form: "daily-question", schedule: side("daily-question") },
  ];
  const paused = view.module.state === "paused";
  return (
    <>
      <h1>Schedule · {cohort.name}</h1>
      <p>
        The cohort {view.progressText}. Posts go to{" "}
        {view.channelExternalId
          ? `#${view.channelExternalId}`
          : "no channel yet (set one with /schedule channel in chat)"}
        .
      </p>
      <section class="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Now</h2>
        {props.actionError && (
          <p class="field-error" role="alert">
            {props.actionError}
          </p>
        )}
        <div class="actions">
          {paused ? (
            <ActionButton cohortId={cohort.id} action="resume" label="Resume" csrf={csrf} />
          ) : (
            <ActionButton cohortId={cohort.id} action="pause" label="Pause" csrf={csrf} />
          )}
          <ActionButton
            cohortId={cohort.id}
            action="skip"
            label="Skip the next week"
            csrf={csrf}
            confirm="Skip the next module post? The cohort stays in its week a week longer."
          />
          <ActionButton
            cohortId={cohort.id}
            action="post-now"
            label="Post the module now"
            csrf={csrf}
            confirm="Post this week's module to the cohort's channel now?"
          />
        </div>
      </section>
      {sections.map(({ form, schedule }) => (
        <section class="card" aria-labelledby={`${form}-heading`}>
          <h2 id={`${form}-heading`}>
            {titles[form]}
            {schedule ? ` — ${schedule.description} (${schedule.timezone})` : ""}
          </h2>
          {schedule ? <Fires schedule={schedule} label={titles[form]} /> : <p>Not set.</p>}
          <WhenForm
            cohortId={cohort.id}
            form={form}
            schedule={schedule}
            defaultZone={cohort.timezone}
            csrf={csrf}
            error={error}
          />
        </section>
      ))}
      <section class="card" aria-labelledby="channel-heading">
        <h2 id="channel-heading">Where posts go</h2>
        <ChannelForm cohortId={cohort.id} current={view.channelExternalId} csrf={csrf} error={error} />
      </section>
      <section class="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Posts so far</h2>
        {props.posts.length === 0 ? (
          <p>Nothing has been posted yet.</p>
        ) : (
          <ScrollRegion label="Posts so far">
            <table>
              <caption>The newest {props.posts.length}, with why a post failed or was skipped</caption>
              <thead>
                <tr>
                  <th scope="col">Due ({cohort.timezone})</th>
                  <th scope="col">What</th>
                  <th scope="col">Week</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {props.posts.map((post) => (
                  <tr>
                    <td>{formatInZone(post.dueAt, cohort.timezone)}</td>
                    <td>{post.kind}</td>
                    <td>{post.week}</td>
                    <td
                      class={
                        post.status === "failed" ? "bad" : post.status === "skipped" ? "warn" : undefined
                      }
                    >
                      {statusWords[post.status]}
                    </td>
                    <td>{post.attempts}</td>
                    <td>{post.error ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </>
  );
}
