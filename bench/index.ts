import { parseArgs } from "node:util";
import { benchAdapters } from "./adapters.js";
import { benchCommands } from "./commands.js";
import { benchDashboard } from "./dashboard.js";
import { benchFootprint } from "./footprint.js";
import { printGoals } from "./goals.js";
import { benchGrading } from "./grading.js";
import { printLoad, recordLoadGoals, runLoad } from "./load.js";
import { benchPictures } from "./pictures.js";
import { benchPostgres } from "./postgres.js";
import { benchProgress } from "./progress.js";
import { benchSchedule } from "./schedule.js";

// npm run bench [-- --quick]: strict, so a mistyped flag fails instead of starting a long full run.
const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const options = { quick: values.quick };

// Figures are ratios against a baseline measured in the same run, because these machines are shared and noisy.
await benchCommands(options);
await benchProgress(options);
const planning = await benchSchedule(options);
// The same three paths on an embedded PostgreSQL, beside the SQLite figures just measured.
await benchPostgres(options, planning);
await benchGrading(options);
await benchAdapters(options);
await benchDashboard(options);
await benchPictures(options);
await benchFootprint();

// Quick: a quarter of the learners with fewer answers each; the checks on the store are the same.
const load = await runLoad(options.quick ? { learners: 50, answersPerLearner: 10 } : {});
printLoad(load);
recordLoadGoals(load);
// Under load every answer must still be handled and stored once.
if (load.errors > 0) process.exitCode = 1;

// Goals are reported, not enforced: only load errors above fail the run.
printGoals();
