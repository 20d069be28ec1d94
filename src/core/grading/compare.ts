import type { Cell, ResultSet } from "../sandbox.js";

export type Comparison = { same: true } | { same: false; feedback: string };

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A cell as it is compared: numbers by value (2.50 = 2.5, and SQLite's 1 = PostgreSQL's true),
 * text exactly (after Unicode normalisation), NULL as NULL.
 */
export function normaliseCell(cell: Cell): string | null {
  if (cell === null) return null;
  if (typeof cell === "boolean") return cell ? "1" : "0";
  if (typeof cell === "number") return normaliseNumber(cell);
  if (NUMERIC_TEXT.test(cell.trim())) return normaliseNumber(Number(cell));
  return `'${cell.normalize("NFC")}`;
}

function normaliseNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  // Twelve significant digits: floating error in sums and averages does not fail an answer.
  return String(Number.parseFloat(value.toPrecision(12)));
}

/**
 * Documents have no meaningful field order: when a result has exactly the expected fields,
 * put its columns in the expected order so only values are compared.
 */
export function alignColumnsByName(expected: ResultSet, actual: ResultSet): ResultSet {
  const same =
    expected.columns.length === actual.columns.length &&
    expected.columns.every((c) => actual.columns.includes(c));
  if (!same) return actual;
  const order = expected.columns.map((c) => actual.columns.indexOf(c));
  return { columns: expected.columns, rows: actual.rows.map((row) => order.map((i) => row[i] ?? null)) };
}

/** How a row is shown in feedback: (Bo, 120.5, NULL). */
function showRow(row: readonly Cell[]): string {
  return `(${row.map((cell) => (cell === null ? "NULL" : String(cell))).join(", ")})`;
}

const rowKey = (row: readonly Cell[]) => JSON.stringify(row.map(normaliseCell));

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Compares a learner's result with the reference by value: column count and order,
 * then rows — in order only when the task asks for an order. Says what differs first.
 */
export function compareResults(
  expected: ResultSet,
  actual: ResultSet,
  options: { ordered: boolean; orderBy?: readonly string[] },
): Comparison {
  // An empty result has no columns on engines that return documents: say what matters, that nothing came back.
  if (actual.rows.length === 0 && expected.rows.length > 0) {
    return {
      same: false,
      feedback: `Your query returned no rows; the answer has ${expected.rows.length}. Check the filter.`,
    };
  }
  if (actual.columns.length !== expected.columns.length) {
    const missing = actual.columns.length < expected.columns.length;
    return {
      same: false,
      feedback: `Your result has ${plural(actual.columns.length, "column")}; the task asks for ${expected.columns.length}: ${expected.columns.join(", ")}.${
        missing ? " A column is missing." : " Remove the extra ones."
      }`,
    };
  }
  if (actual.rows.length !== expected.rows.length) {
    return {
      same: false,
      feedback: `Your query returned ${plural(actual.rows.length, "row")}; the answer has ${expected.rows.length}. Check the filter and the join.`,
    };
  }
  if (options.ordered) {
    const keyColumns = (options.orderBy ?? []).map((name) => expected.columns.indexOf(name));
    const [expectedRows, actualRows] =
      keyColumns.length > 0
        ? settleTies(expected.rows, actual.rows, keyColumns)
        : [expected.rows, actual.rows];
    const expectedKeys = expectedRows.map(rowKey);
    const actualKeys = actualRows.map(rowKey);
    const firstDiff = expectedKeys.findIndex((key, i) => key !== actualKeys[i]);
    if (firstDiff === -1) return { same: true };
    const sameRows = [...expectedKeys].sort().join("\n") === [...actualKeys].sort().join("\n");
    if (sameRows) {
      return {
        same: false,
        feedback: "The rows are right, but not in the order the task asks for: check ORDER BY.",
      };
    }
    return {
      same: false,
      feedback: `Row ${firstDiff + 1} differs: expected ${showRow(expectedRows[firstDiff] ?? [])}, got ${showRow(
        actualRows[firstDiff] ?? [],
      )}.`,
    };
  }

  const expectedKeys = expected.rows.map(rowKey);
  const actualKeys = actual.rows.map(rowKey);

  // Unordered: compare as multisets; name the first row the learner lacks and one they have too many of.
  const counts = new Map<string, number>();
  for (const key of expectedKeys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const extra: number[] = [];
  actualKeys.forEach((key, i) => {
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else extra.push(i);
  });
  if (extra.length === 0) return { same: true };
  const missingIndex = expectedKeys.findIndex((key) => (counts.get(key) ?? 0) > 0);
  const missing = expected.rows[missingIndex];
  const surplus = actual.rows[extra[0] ?? 0];
  return {
    same: false,
    feedback: `${plural(extra.length, "row")} differ${extra.length === 1 ? "s" : ""}: your result has ${showRow(
      surplus ?? [],
    )}, which the answer doesn't${missing ? `, and lacks ${showRow(missing)}` : ""}.`,
  };
}

/**
 * Rows tied on every order key may come in any order: within each run of expected rows that share their
 * keys, both results are put in one canonical order, so only the order on the keys is graded.
 */
function settleTies(
  expected: readonly (readonly Cell[])[],
  actual: readonly (readonly Cell[])[],
  keyColumns: readonly number[],
): [(readonly Cell[])[], (readonly Cell[])[]] {
  const orderKey = (row: readonly Cell[]) =>
    JSON.stringify(keyColumns.map((i) => normaliseCell(row[i] ?? null)));
  const canonical = (rows: readonly (readonly Cell[])[]) =>
    [...rows].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
  const settledExpected = [...expected];
  const settledActual = [...actual];
  let start = 0;
  while (start < expected.length) {
    const key = orderKey(expected[start] ?? []);
    let end = start + 1;
    while (end < expected.length && orderKey(expected[end] ?? []) === key) end++;
    if (end - start > 1) {
      settledExpected.splice(start, end - start, ...canonical(expected.slice(start, end)));
      settledActual.splice(start, end - start, ...canonical(actual.slice(start, end)));
    }
    start = end;
  }
  return [settledExpected, settledActual];
}

/** Plan requirements: every `includes` pattern must match some plan line, no `excludes` pattern may. */
export function checkPlan(
  plan: readonly string[],
  rules: { includes: readonly string[]; excludes: readonly string[] },
): { ok: true } | { ok: false; problem: string } {
  const text = plan.join("\n");
  for (const pattern of rules.includes) {
    if (!new RegExp(pattern, "i").test(text))
      return { ok: false, problem: `the plan does not show ${pattern}` };
  }
  for (const pattern of rules.excludes) {
    const match = new RegExp(pattern, "i").exec(text);
    if (match) return { ok: false, problem: `the plan still shows "${match[0]}"` };
  }
  return { ok: true };
}
