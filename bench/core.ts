import { commands } from "../src/core/commands/registry.js";
import type { Curriculum } from "../src/core/curriculum/schema.js";
import type { Core } from "../src/core/dispatch.js";
import type { Clock } from "../src/core/ports/clock.js";
import type { Actor } from "../src/core/ports/identity.js";
import { silentLogger } from "../src/core/ports/logger.js";
import type { Store } from "../src/core/ports/store.js";
import type { OpenDatabase } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { createPictureRenderer } from "../src/pictures/resvg.js";

/** learner-0 is the moderator; learner-n are the cohort's learners. */
export const benchLearner = (n: number): Actor => ({
  platform: "terminal",
  spaceExternalId: "bench",
  spaceName: "bench",
  userExternalId: `learner-${n}`,
  displayName: `learner-${n}`,
  isModerator: n === 0,
  channelExternalId: "general",
});

/** The real core on a real store, with no scheduler and no sandboxes: what command benches measure. */
export function commandCore(database: OpenDatabase, curriculum: Curriculum, clock: Clock): Core {
  return storeCore(createStore(database.db), curriculum, clock);
}

/** commandCore on any store, e.g. PostgreSQL's (bench/postgres.ts). */
export function storeCore(store: Store, curriculum: Curriculum, clock: Clock): Core {
  return {
    curriculum,
    store,
    clock,
    logger: silentLogger,
    settings: { defaultTimezone: "UTC" },
    scheduler: { postNow: async () => undefined, wake: () => {}, announce: () => {} },
    pictures: createPictureRenderer(),
    // Quiz items are graded in the core; challenge grading has its own figures.
    grader: { grade: async () => ({ verdict: "unavailable", feedback: "" }) },
    commands,
  };
}
