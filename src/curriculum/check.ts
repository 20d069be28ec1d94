import { resolve } from "node:path";
import { defaultCurriculumDir } from "../paths.js";
import { checkBalance } from "./balance.js";
import { formatCurriculumError, loadCurriculum } from "./load.js";

// `npm run curriculum:check [dir]`: validate the curriculum and list every error with its file and path.
const dir = resolve(process.argv[2] ?? process.env.CURRICULUM_DIR ?? defaultCurriculumDir);
const result = loadCurriculum(dir);
if (!result.ok) {
  for (const error of result.errors) console.error(formatCurriculumError(error));
  console.error(`curriculum: ${result.errors.length} error(s) in ${dir}`);
  process.exit(1);
}
const { weeks, tracks, projects, bank } = result.curriculum;
const unbalanced = checkBalance(bank.items);
if (unbalanced.length > 0) {
  for (const problem of unbalanced) console.error(`questions/ ${problem.rule}: ${problem.message}`);
  console.error(`curriculum: the question bank breaks ${unbalanced.length} balance rule(s) in ${dir}`);
  process.exit(1);
}
const topics = weeks.flatMap((week) => week.lanes.flatMap((lane) => lane.topics)).length;
console.log(
  `curriculum: ok — ${weeks.length} weeks, ${topics} topics, ${tracks.length} tracks, ${projects.length} projects (${dir})`,
);
