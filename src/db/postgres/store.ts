import type { Store } from "../../core/ports/store.js";
import { answerStore } from "./answer-store.js";
import type { OpenPostgres } from "./client.js";
import { cohortStore } from "./cohort-store.js";
import { deliveryStore } from "./delivery-store.js";
import { identityStore } from "./identity-store.js";
import { postStore } from "./post-store.js";
import { progressStore } from "./progress-store.js";
import { requestStore } from "./request-store.js";
import { reviewStore } from "./review-store.js";
import { scheduleStore } from "./schedule-store.js";
import { senderStore } from "./sender-store.js";
import { trackStore } from "./track-store.js";
import { webAccessStore } from "./web-access-store.js";

/** The core's store on PostgreSQL: the same ports and meanings as createStore on SQLite. */
export function createPostgresStore({ db, pool }: Pick<OpenPostgres, "db" | "pool">): Store {
  return {
    identities: identityStore(db),
    cohorts: cohortStore(db, pool),
    tracks: trackStore(db, pool),
    answers: answerStore(pool),
    progress: progressStore(pool),
    reviews: reviewStore(pool),
    schedules: scheduleStore(db, pool),
    posts: postStore(pool),
    senders: senderStore(pool),
    requests: requestStore(pool),
    deliveries: deliveryStore(pool),
    web: webAccessStore(pool),
  };
}
