import type { Hono } from "hono";
import { callerCohort } from "../../../core/commands/caller-cohort.js";
import type { Core } from "../../../core/dispatch.js";
import { cohortBank } from "../../../core/services/cohort-bank.js";
import { cohortHealth } from "../../../core/services/cohort-health.js";
import { cohortMembers } from "../../../core/services/cohort-members.js";
import { cohortOverview } from "../../../core/services/cohort-overview.js";
import type { WebEnv } from "../env.js";
import { BankPage } from "../pages/bank.js";
import { CohortPage } from "../pages/cohort.js";
import { CohortLinks } from "../pages/cohort-links.js";
import { CohortsPage } from "../pages/cohorts.js";
import { MembersPage } from "../pages/members.js";
import { page } from "../render.js";

/** The moderator's pages of their space's cohorts: the same services /stats and /cohort info use. */
export function moderatorRoutes(app: Hono<WebEnv>, core: Core): void {
  app.get("/cohorts", async (c) => {
    const viewer = c.get("viewer");
    const cohorts = await cohortOverview(core, viewer.identity.space.id);
    return page(c, { title: "Cohorts", viewer, current: "cohorts" }, <CohortsPage cohorts={cohorts} />);
  });

  app.get("/cohorts/:cohortId", async (c) => {
    const viewer = c.get("viewer");
    const cohort = c.get("cohort");
    const found = await callerCohort({ ...core, actor: viewer.actor, eventKey: null, cohortId: cohort.id });
    if (!found.ok) return c.notFound();
    const view = await cohortHealth(core, found.value);
    return page(
      c,
      { title: cohort.name, viewer, current: "cohorts" },
      <>
        <CohortLinks cohortId={cohort.id} current="overview" />
        <CohortPage view={view} />
      </>,
    );
  });

  app.get("/cohorts/:cohortId/members", async (c) => {
    const viewer = c.get("viewer");
    const cohort = c.get("cohort");
    const view = await cohortMembers(core, cohort);
    return page(
      c,
      { title: `Members · ${cohort.name}`, viewer, current: "cohorts" },
      <>
        <CohortLinks cohortId={cohort.id} current="members" />
        <MembersPage view={view} />
      </>,
    );
  });

  app.get("/cohorts/:cohortId/bank", async (c) => {
    const viewer = c.get("viewer");
    const cohort = c.get("cohort");
    const view = await cohortBank(core, cohort);
    return page(
      c,
      { title: `Question bank · ${cohort.name}`, viewer, current: "cohorts" },
      <>
        <CohortLinks cohortId={cohort.id} current="bank" />
        <BankPage view={view} />
      </>,
    );
  });
}
