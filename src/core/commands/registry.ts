import { answer } from "./answer.js";
import { challenge } from "./challenge.js";
import { challengeList } from "./challenge-list.js";
import { cohortCreate } from "./cohort-create.js";
import { cohortInfo } from "./cohort-info.js";
import { cohortJoin } from "./cohort-join.js";
import { cohortStreaks } from "./cohort-streaks.js";
import type { AnyCommand } from "./command.js";
import { dashboard } from "./dashboard.js";
import { dashboardSignout } from "./dashboard-signout.js";
import { help } from "./help.js";
import { leaderboard } from "./leaderboard.js";
import { quiz } from "./quiz.js";
import { review } from "./review.js";
import { roadmap } from "./roadmap.js";
import { scheduleChannel } from "./schedule-channel.js";
import { scheduleDaily } from "./schedule-daily.js";
import { schedulePause } from "./schedule-pause.js";
import { schedulePostNow } from "./schedule-post-now.js";
import { scheduleRemind } from "./schedule-remind.js";
import { scheduleResume } from "./schedule-resume.js";
import { scheduleSet } from "./schedule-set.js";
import { scheduleShow } from "./schedule-show.js";
import { scheduleSkip } from "./schedule-skip.js";
import { stats } from "./stats.js";
import { streak } from "./streak.js";
import { submit } from "./submit.js";
import { timezone } from "./timezone.js";
import { trackJoin } from "./track-join.js";
import { trackLeave } from "./track-leave.js";
import { trackList } from "./track-list.js";
import { trackShow } from "./track-show.js";
import { week } from "./week.js";

/** Every command, in the order /help lists them. Explicit on purpose: no glob imports. */
export const commands: readonly AnyCommand[] = [
  help,
  roadmap,
  week,
  quiz,
  answer,
  challengeList,
  challenge,
  submit,
  review,
  streak,
  leaderboard,
  timezone,
  dashboard,
  dashboardSignout,
  stats,
  trackList,
  trackJoin,
  trackLeave,
  trackShow,
  cohortCreate,
  cohortJoin,
  cohortInfo,
  cohortStreaks,
  scheduleSet,
  scheduleShow,
  schedulePause,
  scheduleResume,
  schedulePostNow,
  scheduleSkip,
  scheduleRemind,
  scheduleDaily,
  scheduleChannel,
];
