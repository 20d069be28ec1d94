import type { Context, Hono } from "hono";
import { callerCohort } from "../../../core/commands/caller-cohort.js";
import type { AnyCommand } from "../../../core/commands/command.js";
import { scheduleChannel } from "../../../core/commands/schedule-channel.js";
import { scheduleDaily } from "../../../core/commands/schedule-daily.js";
import { schedulePause } from "../../../core/commands/schedule-pause.js";
import { schedulePostNow } from "../../../core/commands/schedule-post-now.js";
import { scheduleRemind } from "../../../core/commands/schedule-remind.js";
import { scheduleResume } from "../../../core/commands/schedule-resume.js";
import { scheduleSet } from "../../../core/commands/schedule-set.js";
import { scheduleSkip } from "../../../core/commands/schedule-skip.js";
import { type Core, invoke } from "../../../core/dispatch.js";
import type { Message } from "../../../core/messages.js";
import { scheduleView } from "../../../core/services/schedule-view.js";
import type { WebEnv } from "../env.js";
import { setFlash, takeFlash } from "../flash.js";
import { CohortLinks } from "../pages/cohort-links.js";
import { type FormError, type ScheduleForm, SchedulePage } from "../pages/schedule.js";
import { page, plainText } from "../render.js";

/** Posts listed in the history, newest first. */
const HISTORY = 30;

const forms: Record<ScheduleForm, AnyCommand> = {
  module: scheduleSet,
  reminder: scheduleRemind,
  "daily-question": scheduleDaily,
};
const buttons: Record<string, AnyCommand> = {
  pause: schedulePause,
  resume: scheduleResume,
  skip: scheduleSkip,
  "post-now": schedulePostNow,
};

const messageText = (message: Message) => plainText(message.text ?? message.title ?? "Done.");

async function showSchedule(
  c: Context<WebEnv>,
  core: Core,
  secure: boolean,
  problems: { error?: FormError; actionError?: string } = {},
): Promise<Response> {
  const viewer = c.get("viewer");
  const cohort = c.get("cohort");
  const found = await callerCohort({ ...core, actor: viewer.actor, eventKey: null, cohortId: cohort.id });
  if (!found.ok) return c.notFound();
  const posts = (await core.store.posts.forCohort(cohort.id)).slice(-HISTORY).reverse();
  const failed = problems.error !== undefined || problems.actionError !== undefined;
  return page(
    c,
    {
      title: `Schedule · ${cohort.name}`,
      viewer,
      current: "cohorts",
      notice: failed ? undefined : takeFlash(c, secure),
    },
    <>
      <CohortLinks cohortId={cohort.id} current="schedule" />
      <SchedulePage
        cohort={cohort}
        view={scheduleView(found.value, core.clock.now())}
        posts={posts}
        csrf={viewer.session.csrfToken}
        error={problems.error}
        actionError={problems.actionError}
      />
    </>,
    failed ? 400 : 200,
  );
}

/**
 * The schedule page and its forms. Every change runs the same command as chat (`/schedule set`,
 * `/schedule remind`, …) with the same rules and words; a refusal comes back beside its field and
 * changes nothing, a success redirects to the page with what the command said.
 */
export function scheduleRoutes(app: Hono<WebEnv>, core: Core, secure: boolean): void {
  app.get("/cohorts/:cohortId/schedule", (c) => showSchedule(c, core, secure));

  app.post("/cohorts/:cohortId/schedule/:form", async (c) => {
    const viewer = c.get("viewer");
    const cohort = c.get("cohort");
    const name = c.req.param("form");
    const body = await c.req.parseBody();
    const text = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
    const scope = { cohortId: cohort.id };
    if (name in forms) {
      const form = name as ScheduleForm;
      const values = { when: text("when"), tz: text("tz").trim() };
      const args = values.tz === "" ? { when: values.when } : { when: values.when, tz: values.tz };
      const reply = await invoke(core, viewer.actor, forms[form], args, null, scope);
      if (reply.tone === "error") {
        return showSchedule(c, core, secure, {
          error: { form, field: reply.field ?? "when", message: messageText(reply), values },
        });
      }
      setFlash(c, messageText(reply), secure);
      return c.redirect(`/cohorts/${cohort.id}/schedule`, 303);
    }
    if (name === "channel") {
      const channel = text("channel").trim();
      const reply = await invoke(
        core,
        viewer.actor,
        scheduleChannel,
        channel ? { channel } : {},
        null,
        scope,
      );
      if (reply.tone === "error") {
        return showSchedule(c, core, secure, {
          error: { form: "channel", field: "channel", message: messageText(reply), values: { channel } },
        });
      }
      setFlash(c, messageText(reply), secure);
      return c.redirect(`/cohorts/${cohort.id}/schedule`, 303);
    }
    const command = buttons[name];
    if (!command) return c.notFound();
    const reply = await invoke(core, viewer.actor, command, {}, null, scope);
    if (reply.tone === "error") return showSchedule(c, core, secure, { actionError: messageText(reply) });
    setFlash(c, messageText(reply), secure);
    return c.redirect(`/cohorts/${cohort.id}/schedule`, 303);
  });
}
