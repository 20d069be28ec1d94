import type { AnswerStore } from "./answers.js";
import type { CohortStore } from "./cohorts.js";
import type { DeliveryStore } from "./deliveries.js";
import type { IdentityStore } from "./identity.js";
import type { PostStore, SenderStore } from "./posts.js";
import type { ProgressStore } from "./progress.js";
import type { RequestStore } from "./requests.js";
import type { ReviewStore } from "./reviews.js";
import type { ScheduleStore } from "./schedules.js";
import type { TrackStore } from "./tracks.js";
import type { WebAccessStore } from "./web-access.js";

/** Everything the core keeps. Implementations keep their SQL to themselves (see src/db). */
export interface Store {
  identities: IdentityStore;
  progress: ProgressStore;
  cohorts: CohortStore;
  tracks: TrackStore;
  schedules: ScheduleStore;
  posts: PostStore;
  senders: SenderStore;
  requests: RequestStore;
  answers: AnswerStore;
  reviews: ReviewStore;
  deliveries: DeliveryStore;
  web: WebAccessStore;
}
