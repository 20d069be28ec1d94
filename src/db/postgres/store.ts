import type {
  DeliveryStore,
  PostStore,
  ProgressStore,
  ReviewStore,
  ScheduleStore,
  Store,
} from "../../core/ports.js";
import { answerStore } from "./answer-store.js";
import type { OpenPostgres } from "./client.js";
import { cohortStore, identityStore, trackStore } from "./people-store.js";
import { unported } from "./unported.js";

/** The core's store on PostgreSQL: the same ports and meanings as createStore on SQLite. */
export function createPostgresStore({ db, pool }: Pick<OpenPostgres, "db" | "pool">): Store {
  return {
    identities: identityStore(db),
    cohorts: cohortStore(db, pool),
    tracks: trackStore(db, pool),
    answers: answerStore(pool),
    progress: unported<ProgressStore>("progress"),
    reviews: unported<ReviewStore>("reviews"),
    schedules: unported<ScheduleStore>("schedules"),
    posts: unported<PostStore>("posts"),
    deliveries: unported<DeliveryStore>("deliveries"),
  };
}
