import { parseArgs } from "node:util";
import { printLoad, runLoad } from "./load.js";

// npm run load [-- --learners 200 --answers 15]: exits 1 when any request failed or was not stored.
const { values } = parseArgs({
  options: {
    learners: { type: "string" },
    answers: { type: "string" },
  },
});

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number above 0, not "${text}"`);
    process.exit(2);
  }
  return n;
}

const learners = count("learners", values.learners);
const answersPerLearner = count("answers", values.answers);
const report = await runLoad({
  ...(learners === undefined ? {} : { learners }),
  ...(answersPerLearner === undefined ? {} : { answersPerLearner }),
});
printLoad(report);
if (report.errors > 0) process.exitCode = 1;
