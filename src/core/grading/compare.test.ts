import { describe, expect, it } from "vitest";
import { alignColumnsByName, checkPlan, compareResults, normaliseCell } from "./compare.js";

const rs = (columns: string[], rows: (string | number | boolean | null)[][]) => ({ columns, rows });

describe("comparing results by value", () => {
  it("given numbers printed differently by two engines, treats them as equal", () => {
    expect(normaliseCell("2.50")).toBe(normaliseCell(2.5));
    expect(normaliseCell(true)).toBe(normaliseCell(1));
    expect(normaliseCell(0.1 + 0.2)).toBe(normaliseCell(0.3));
    expect(normaliseCell("2.5")).not.toBe(normaliseCell("2.5 kg"));
    expect(normaliseCell(null)).toBeNull();
  });

  it("given the same rows in another order where order does not matter, passes", () => {
    const expected = rs(
      ["name", "n"],
      [
        ["Ana", 2],
        ["Bo", 1],
      ],
    );
    expect(
      compareResults(
        expected,
        rs(
          ["customer", "count"],
          [
            ["Bo", 1],
            ["Ana", 2],
          ],
        ),
        { ordered: false },
      ),
    ).toEqual({ same: true });
  });

  it("given rows tied on the asked order, accepts them in either order and still rejects a wrong order on the keys", () => {
    // Ordered by revenue, most first: Bo and Cy tie at 50.
    const expected = rs(
      ["name", "revenue"],
      [
        ["Ana", 90],
        ["Bo", 50],
        ["Cy", 50],
        ["Di", 10],
      ],
    );
    const options = { ordered: true, orderBy: ["revenue"] };
    const swapped = rs(
      ["name", "revenue"],
      [
        ["Ana", 90],
        ["Cy", 50],
        ["Bo", 50],
        ["Di", 10],
      ],
    );
    expect(compareResults(expected, swapped, options)).toEqual({ same: true });
    expect(compareResults(expected, expected, options)).toEqual({ same: true });
    const ascending = rs(
      ["name", "revenue"],
      [
        ["Di", 10],
        ["Bo", 50],
        ["Cy", 50],
        ["Ana", 90],
      ],
    );
    expect(compareResults(expected, ascending, options)).toEqual({
      same: false,
      feedback: "The rows are right, but not in the order the task asks for: check ORDER BY.",
    });
    const wrongValue = rs(
      ["name", "revenue"],
      [
        ["Ana", 90],
        ["Cy", 50],
        ["Bo", 55],
        ["Di", 10],
      ],
    );
    expect(compareResults(expected, wrongValue, options)).toEqual({
      same: false,
      feedback: "Row 2 differs: expected (Bo, 50), got (Bo, 55).",
    });
    // Without order keys the whole row is the key: the tie's order counts.
    expect(compareResults(expected, swapped, { ordered: true }).same).toBe(false);
  });

  it("given the same rows in another order where order matters, says to check ORDER BY", () => {
    const expected = rs(["name"], [["Ana"], ["Bo"]]);
    expect(compareResults(expected, rs(["name"], [["Bo"], ["Ana"]]), { ordered: true })).toEqual({
      same: false,
      feedback: "The rows are right, but not in the order the task asks for: check ORDER BY.",
    });
  });

  it("given a missing column, names the columns asked for", () => {
    const result = compareResults(rs(["name", "total"], [["Ana", 3]]), rs(["name"], [["Ana"]]), {
      ordered: false,
    });
    expect(result).toEqual({
      same: false,
      feedback: "Your result has 1 column; the task asks for 2: name, total. A column is missing.",
    });
  });

  it("given a different row count, says how many each has", () => {
    const result = compareResults(rs(["n"], [[1], [2], [3]]), rs(["n"], [[1], [2]]), { ordered: false });
    expect(result).toMatchObject({
      same: false,
      feedback: "Your query returned 2 rows; the answer has 3. Check the filter and the join.",
    });
  });

  it("given an ordered result that differs in a row, shows the first differing row", () => {
    const result = compareResults(
      rs(
        ["n", "v"],
        [
          ["a", 1],
          ["b", 2],
        ],
      ),
      rs(
        ["n", "v"],
        [
          ["a", 1],
          ["b", null],
        ],
      ),
      { ordered: true },
    );
    expect(result).toEqual({ same: false, feedback: "Row 2 differs: expected (b, 2), got (b, NULL)." });
  });

  it("given an unordered result with a wrong row, names the extra and the missing one", () => {
    const result = compareResults(rs(["n"], [["a"], ["b"], ["b"]]), rs(["n"], [["b"], ["a"], ["c"]]), {
      ordered: false,
    });
    expect(result).toEqual({
      same: false,
      feedback: "1 row differs: your result has (c), which the answer doesn't, and lacks (b).",
    });
  });
});

describe("empty results and document fields", () => {
  it("given no rows where rows were expected, says nothing came back rather than naming columns", () => {
    expect(compareResults(rs(["n"], [[1]]), rs([], []), { ordered: false })).toEqual({
      same: false,
      feedback: "Your query returned no rows; the answer has 1. Check the filter.",
    });
  });

  it("given documents with the expected fields in another order, lines them up by name", () => {
    const aligned = alignColumnsByName(rs(["name", "price"], [["a", 1]]), rs(["price", "name"], [[1, "a"]]));
    expect(aligned).toEqual(rs(["name", "price"], [["a", 1]]));
    const other = rs(["price", "title"], [[1, "a"]]);
    expect(alignColumnsByName(rs(["name", "price"], [["a", 1]]), other)).toBe(other);
  });
});

describe("plan requirements", () => {
  it("given a plan that uses the index, passes; given a full scan, says what it still shows", () => {
    const rules = { includes: ["USING (COVERING )?INDEX"], excludes: ["SCAN orders\\b"] };
    expect(checkPlan(["SEARCH orders USING INDEX orders_customer (customer_id=?)"], rules)).toEqual({
      ok: true,
    });
    expect(checkPlan(["SCAN orders"], { includes: [], excludes: rules.excludes })).toEqual({
      ok: false,
      problem: 'the plan still shows "SCAN orders"',
    });
    expect(checkPlan(["SCAN orders"], rules)).toMatchObject({ ok: false });
  });
});
