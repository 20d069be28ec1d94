import type { MiddlewareHandler } from "hono";
import type { Core } from "../../core/dispatch.js";
import type { WebEnv } from "./env.js";
import { notice } from "./render.js";

/** A cohort page exists only for a cohort of the viewer's own space; any other id reads as not found. */
export function requireCohort(core: Core): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const viewer = c.get("viewer");
    const raw = c.req.param("cohortId") ?? "";
    const id = /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
    const cohort = id === undefined ? undefined : await core.store.cohorts.get(id);
    if (!cohort || cohort.spaceId !== viewer.identity.space.id) {
      return notice(
        c,
        404,
        {
          heading: "No such cohort here",
          text: "There is no cohort at this address in your space.",
          hint: "Pick one from the list of cohorts.",
        },
        { viewer },
      );
    }
    c.set("cohort", cohort);
    return next();
  };
}
