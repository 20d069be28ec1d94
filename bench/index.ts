import { benchAdapters } from "./adapters.js";
import { benchCommands } from "./commands.js";
import { benchGrading } from "./grading.js";
import { printLoad, runLoad } from "./load.js";
import { benchProgress } from "./progress.js";
import { benchSchedule } from "./schedule.js";

// Figures are ratios against a baseline measured in the same run, because these machines are shared and noisy.
await benchCommands();
await benchProgress();
await benchSchedule();
await benchGrading();
await benchAdapters();

const load = await runLoad();
printLoad(load);
// Under load every answer must still be handled and stored once.
if (load.errors > 0) process.exitCode = 1;
