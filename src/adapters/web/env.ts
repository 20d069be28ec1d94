import type { ChannelDirectory } from "../../core/ports/channels.js";
import type { Cohort } from "../../core/ports/cohorts.js";
import type { Actor, Identity } from "../../core/ports/identity.js";
import type { WebSession } from "../../core/ports/web-access.js";

/** Who a signed-in request speaks for: the session, the member it names, and the actor the core sees. */
export interface Viewer {
  session: WebSession;
  identity: Identity;
  actor: Actor;
}

export interface WebEnv {
  Variables: {
    viewer: Viewer;
    /** The raw cookie token, for sign-out. */
    sessionToken: string;
    /** The cohort a /cohorts/:cohortId page is about, once checked to be of the viewer's space. */
    cohort: Cohort;
  };
}

export interface WebOptions {
  /** Each chat platform's channel check, for the schedule page's channel form (none in the terminal). */
  channels?: ChannelDirectory;
  /** Where people open the dashboard; https there makes the cookie Secure. */
  publicUrl: string;
}
