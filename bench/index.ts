import { benchAdapters } from "./adapters.js";
import { benchCommands } from "./commands.js";
import { benchGrading } from "./grading.js";
import { benchProgress } from "./progress.js";
import { benchSchedule } from "./schedule.js";

// Figures are ratios against a baseline measured in the same run, because these machines are shared and noisy.
await benchCommands();
await benchProgress();
await benchSchedule();
await benchGrading();
await benchAdapters();
