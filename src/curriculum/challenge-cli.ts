import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { Challenge, type DatasetSpec } from "../core/curriculum/bank.js";
import type { Curriculum } from "../core/curriculum/schema.js";
import { compareResults } from "../core/grading/compare.js";
import { type Grade, Grader } from "../core/grading/grader.js";
import { silentLogger } from "../core/ports/logger.js";
import { defaultLimits } from "../core/sandbox.js";
import { defaultCurriculumDir } from "../paths.js";
import { closeSandboxes, createSandboxes } from "../sandbox/sandboxes.js";
import { hardCodedCopy } from "./hard-coded.js";
import { formatCurriculumError, loadCurriculum } from "./load.js";

const USAGE = `Usage:
  npm run challenge -- list [--json]                          every quiz item and challenge: id, week, kind, engine
  npm run challenge -- test [path]                            references and alternatives pass on the dataset and every variant, wrong answers fail
  npm run challenge -- grade <file-or-id> --answer <file> [--json]   grade one answer`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function loadOrExit(): Curriculum {
  const dir = resolve(process.env.CURRICULUM_DIR ?? defaultCurriculumDir);
  const result = loadCurriculum(dir);
  if (!result.ok) fail(result.errors.map(formatCurriculumError).join("\n"), 1);
  return result.curriculum;
}

/** Challenges from a file or folder written by an author, or every challenge of the curriculum. */
function challengesAt(path: string | undefined, curriculum: Curriculum): Challenge[] {
  if (!path) return [...curriculum.bank.challenges];
  const absolute = resolve(path);
  let files: string[];
  try {
    files = statSync(absolute).isDirectory()
      ? readdirSync(absolute)
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => join(absolute, f))
      : [absolute];
  } catch {
    fail(`${path}: no such file or folder`);
  }
  return files.map((file) => {
    const parsed = Challenge.safeParse(parse(readFileSync(file, "utf8")));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${file} ${i.path.join(".")}: ${i.message}`);
      fail(issues.join("\n"), 1);
    }
    return parsed.data;
  });
}

function findChallenge(ref: string, curriculum: Curriculum): Challenge {
  const byId = curriculum.bank.challenges.find((c) => c.id === ref);
  if (byId) return byId;
  const [fromFile] = challengesAt(ref, curriculum);
  if (!fromFile) fail(`${ref}: no challenge with that id or file`);
  return fromFile;
}

function describe(grade: Grade): string {
  return grade.verdict === "pass" ? "pass" : `${grade.verdict}: ${grade.feedback}`;
}

/**
 * What is wrong with one challenge: on its dataset and on every variant the solution and alternatives
 * pass; each variant changes the reference's result (else a hard-coded answer would pass) and a copy of
 * the visible result is caught; every wrong answer, run on all of them, fails on at least one.
 */
async function checkChallenge(
  grader: Grader,
  challenge: Challenge,
  datasets: readonly DatasetSpec[],
): Promise<string[]> {
  const problems: string[] = [];
  const where = (index: number) => (index === 0 ? "" : ` on variant ${index}`);
  const solutions: [string, string][] = [
    ["solution", challenge.solution],
    ...challenge.alternatives.map((q, i) => [`alternative ${i + 1}`, q] as [string, string]),
  ];
  for (let index = 0; index <= challenge.variants.length; index++) {
    for (const [label, query] of solutions) {
      const grade = await grader.gradeOn(challenge, query, index);
      if (grade.verdict !== "pass")
        problems.push(`${label} should pass${where(index)} but got ${describe(grade)}`);
    }
  }
  const visible = await grader.referenceOn(challenge, 0);
  if (challenge.variants.length === 0) problems.push("has no variant: a hard-coded answer would pass");
  for (let index = 1; index <= challenge.variants.length && visible?.ok; index++) {
    const other = await grader.referenceOn(challenge, index);
    if (other?.ok && compareResults(visible.result, other.result, { ordered: challenge.ordered }).same)
      problems.push(
        `variant ${index} gives the reference the same result as the dataset: a hard-coded answer would pass`,
      );
  }
  const dataset = datasets.find((d) => d.id === challenge.dataset);
  const copy =
    dataset && challenge.variants.length > 0 ? await hardCodedCopy(grader, challenge, dataset) : undefined;
  if (copy?.ok && (await grader.grade(challenge, copy.query)).verdict === "pass")
    problems.push("a hard-coded copy of the visible result passes: make a variant change what it checks");
  // A wrong answer runs on the dataset and on every variant; it must fail on at least one of them.
  for (const [i, wrong] of challenge.wrong.entries()) {
    const grades: Grade[] = [];
    for (let index = 0; index <= challenge.variants.length; index++)
      grades.push(await grader.gradeOn(challenge, wrong.query, index));
    const unavailable = grades.find((grade) => grade.verdict === "unavailable");
    if (unavailable) problems.push(`wrong answer ${i + 1}: ${describe(unavailable)}`);
    else if (grades.every((grade) => grade.verdict === "pass"))
      problems.push(`wrong answer ${i + 1} passes (${wrong.why})`);
  }
  return problems;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const json = rest.includes("--json");
  const args = rest.filter((a) => a !== "--json");

  if (command === "list") {
    const curriculum = loadOrExit();
    const rows = [
      ...curriculum.bank.items.map((i) => ({
        id: i.id,
        week: i.week,
        kind: i.kind,
        engine: null as string | null,
      })),
      ...curriculum.bank.challenges.map((c) => ({
        id: c.id,
        week: c.week,
        kind: "challenge",
        engine: c.engine as string | null,
      })),
    ].sort((a, b) => a.week - b.week || a.id.localeCompare(b.id));
    if (json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    for (const row of rows) {
      process.stdout.write(
        `${String(row.week).padStart(2)}  ${row.kind.padEnd(11)}${(row.engine ?? "").padEnd(10)}${row.id}\n`,
      );
    }
    process.stdout.write(`${rows.length} items\n`);
    return;
  }

  if (command !== "test" && command !== "grade") fail(USAGE);
  const curriculum = loadOrExit();
  const sandboxes = createSandboxes();
  const datasets: readonly DatasetSpec[] = curriculum.bank.datasets;
  const grader = new Grader({ sandboxes, datasets, limits: defaultLimits, logger: silentLogger });
  try {
    if (command === "grade") {
      const [ref] = args;
      const answerAt = args.indexOf("--answer");
      const answerFile = answerAt >= 0 ? args[answerAt + 1] : undefined;
      if (!ref || !answerFile) fail(USAGE);
      const challenge = findChallenge(ref, curriculum);
      const query = readFileSync(answerFile, "utf8");
      const grade = await grader.grade(challenge, query);
      if (json) {
        process.stdout.write(`${JSON.stringify({ id: challenge.id, ...grade })}\n`);
      } else {
        process.stdout.write(`${challenge.id}: ${describe(grade)}\n`);
      }
      process.exitCode = grade.verdict === "pass" ? 0 : 1;
      return;
    }

    const challenges = challengesAt(args[0], curriculum);
    let passed = 0;
    let failed = 0;
    for (const challenge of challenges) {
      const problems = await checkChallenge(grader, challenge, datasets);
      if (problems.length === 0) {
        passed++;
        process.stdout.write(`✓ ${challenge.id} (${challenge.engine})\n`);
      } else {
        failed++;
        process.stdout.write(
          `✗ ${challenge.id} (${challenge.engine})\n${problems.map((p) => `    ${p}\n`).join("")}`,
        );
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    await closeSandboxes(sandboxes);
  }
}

main().catch((error: unknown) => fail(`challenge: ${(error as Error).message}`, 1));
