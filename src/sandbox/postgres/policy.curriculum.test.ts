/** The PostgreSQL submission policy lets every query the curriculum ships through. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkSubmission, loadPolicy } from "./policy.js";

beforeAll(async () => {
  await loadPolicy();
});

interface Challenge {
  id: string;
  engine: string;
  writes?: boolean;
  check?: string;
  solution: string;
  alternatives?: string[];
  wrong?: { query: string }[];
}

const challengeDir = fileURLToPath(new URL("../../../curriculum/challenges/", import.meta.url));
const challenges = readdirSync(challengeDir)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => parse(readFileSync(`${challengeDir}${name}`, "utf8")) as Challenge)
  .filter((c) => c.engine === "postgres");
const curriculumQueries: [string, string, boolean][] = challenges.flatMap((c) => [
  [`${c.id} solution`, c.solution, c.writes === true] as [string, string, boolean],
  ...(c.alternatives ?? []).map((q, i): [string, string, boolean] => [
    `${c.id} alternative ${i + 1}`,
    q,
    c.writes === true,
  ]),
  ...(c.wrong ?? []).map((w, i): [string, string, boolean] => [
    `${c.id} wrong answer ${i + 1}`,
    w.query,
    c.writes === true,
  ]),
  ...(c.check === undefined ? [] : [[`${c.id} check`, c.check, true] as [string, string, boolean]]),
]);

describe("postgres submission policy: the curriculum", () => {
  it("finds the postgres challenges", () => {
    expect(challenges.length).toBeGreaterThanOrEqual(10);
    expect(curriculumQueries.length).toBeGreaterThanOrEqual(50);
  });

  it.each(curriculumQueries)("given the %s, lets it through", (_what, sql, allowWrites) => {
    const result = checkSubmission(sql, { allowWrites, maxStatements: 50 });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  });
});
