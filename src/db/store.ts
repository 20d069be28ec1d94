import type { Store } from "../core/ports/store.js";
import { answerStore } from "./answer-store.js";
import type { Db } from "./client.js";
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

/** The core's store on SQLite: one store per port, each in its own file. */
export function createStore(db: Db): Store {
  return {
    identities: identityStore(db),
    progress: progressStore(db),
    cohorts: cohortStore(db),
    tracks: trackStore(db),
    schedules: scheduleStore(db),
    posts: postStore(db),
    senders: senderStore(db),
    requests: requestStore(db),
    answers: answerStore(db),
    reviews: reviewStore(db),
    deliveries: deliveryStore(db),
    web: webAccessStore(db),
  };
}
