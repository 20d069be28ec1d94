/**
 * The PostgreSQL submission policy's tables of cases: what a row says, and the tests a table becomes.
 * Each `policy.*.test.ts` beside the policy holds the tables for one behaviour.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkSubmission, loadPolicy, type PolicyRefusal } from "../src/sandbox/postgres/policy.js";

export type Mode = "read" | "write";

/** [what it is, SQL, task mode, expected reason, message pattern] */
export type Refused = [
  what: string,
  sql: string,
  mode: Mode,
  reason: PolicyRefusal["reason"],
  pattern: RegExp,
];

/** [what it is, SQL, task mode, the statements as they will be sent (left out: the SQL itself, as one statement)] */
export type Accepted = [what: string, sql: string, mode: Mode, statements?: string[]];

export const policyOptions = (mode: Mode, maxStatements = 50) => ({
  allowWrites: mode === "write",
  maxStatements,
});

export const plpgsql = (body: string, returns = "int") =>
  `CREATE FUNCTION f() RETURNS ${returns} LANGUAGE plpgsql AS $body$ ${body} $body$`;

export const nestedFunctions = (depth: number): string =>
  depth === 0
    ? "SELECT 1"
    : `CREATE FUNCTION f${depth}() RETURNS int LANGUAGE sql AS $f${depth}$ ${nestedFunctions(depth - 1)} $f${depth}$`;

/**
 * A test that `table` holds at least `atLeast` rows, then a test a row: the policy refuses it for the
 * row's reason, with a one-line message matching the row's pattern. `more` adds tests to the same block.
 */
export function describeRefusals(title: string, table: Refused[], atLeast: number, more?: () => void): void {
  describe(title, () => {
    beforeAll(() => loadPolicy());

    it(`has a table of at least ${atLeast} hostile inputs`, () => {
      expect(table.length).toBeGreaterThanOrEqual(atLeast);
    });

    it.each(table)("given %s, refuses it", (_what, sql, mode, reason, pattern) => {
      const result = checkSubmission(sql, policyOptions(mode));
      expect(result.ok, JSON.stringify(result)).toBe(false);
      if (result.ok) return;
      expect(result.reason, result.message).toBe(reason);
      expect(result.message).toMatch(pattern);
      expect(result.message).not.toMatch(/\n/);
    });

    more?.();
  });
}

/**
 * A test that `table` holds at least `atLeast` rows, then a test a row: the policy lets it through,
 * split into exactly the statements the row names (or the SQL itself, as one statement).
 */
export function describeAcceptances(title: string, table: Accepted[], atLeast: number): void {
  describe(title, () => {
    beforeAll(() => loadPolicy());

    it(`has a table of at least ${atLeast} benign inputs`, () => {
      expect(table.length).toBeGreaterThanOrEqual(atLeast);
    });

    it.each(table)(
      "given %s, lets it through split exactly as the engine splits it",
      (_what, sql, mode, statements = [sql]) => {
        expect(checkSubmission(sql, policyOptions(mode))).toEqual({ ok: true, statements });
      },
    );
  });
}
