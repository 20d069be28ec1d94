/**
 * Differential properties: where the policy says statements and strings begin and end is where
 * PostgreSQL itself (PGlite, PostgreSQL 18 in WebAssembly) says they do, with
 * standard_conforming_strings on, and still with it off (set on the engine session by the test).
 */
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { parseSync } from "libpg-query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSubmission, loadPolicy } from "./policy.js";

let pg: PGlite;

beforeAll(async () => {
  await loadPolicy();
  pg = await PGlite.create();
}, 60_000);

afterAll(async () => {
  await pg.close();
});

type Kind = "plain" | "escape" | "unicode" | "dollar";
interface Literal {
  kind: Kind;
  sql: string;
  /** The value with standard_conforming_strings on. */
  on: string;
  /** The value with it off; null where the engine must refuse the literal (U&'…'). */
  off: string | null;
}

/** How a '…' body reads when backslashes escape (an E'…' string, or any string with the setting off). */
function withEscapes(body: string): string {
  const simple: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c === "'" && body[i + 1] === "'") {
      out += "'";
      i++;
    } else if (c === "\\") {
      const next = body[i + 1] ?? "";
      out += simple[next] ?? next;
      i++;
    } else out += c;
  }
  return out;
}

/** [source, value] pieces; each starts a fresh lexeme, so values concatenate. */
const plainPieces = ["a", "Z", " ", ";", "''", "\\", "\\n", "\\\\", "--", "/*", "*/", "$$", '"', "é", "\n"];
const escapePieces: [string, string][] = [
  ["a", "a"],
  [";", ";"],
  ["\\'", "'"],
  ["''", "'"],
  ["\\\\", "\\"],
  ["\\n", "\n"],
  ["\\t", "\t"],
  ["\\;", ";"],
  ["--", "--"],
  ["$$", "$$"],
  ['"', '"'],
  ["é", "é"],
];
const unicodePieces: [string, string][] = [
  ["a", "a"],
  [";", ";"],
  [" ", " "],
  ["''", "'"],
  ["\\0041", "A"],
  ["\\+0000e9", "é"],
  ["\\\\", "\\"],
];
const dollarPieces = ["a", "t", ";", "'", "''", "\\", "\\'", "--", "/*", '"', "$", " "];

// A trailing backslash is the dangerous case: `'…\'` ends here, or (setting off) somewhere later.
const plain = fc
  .tuple(fc.array(fc.constantFrom(...plainPieces), { maxLength: 6 }), fc.constantFrom("", "", "\\"))
  .map(([pieces, tail]): Literal => {
    const body = pieces.join("") + tail;
    return { kind: "plain", sql: `'${body}'`, on: body.replaceAll("''", "'"), off: withEscapes(body) };
  });
const escaped = fc.array(fc.constantFrom(...escapePieces), { maxLength: 6 }).map((pieces): Literal => {
  const value = pieces.map(([, v]) => v).join("");
  return { kind: "escape", sql: `E'${pieces.map(([s]) => s).join("")}'`, on: value, off: value };
});
const unicode = fc.array(fc.constantFrom(...unicodePieces), { maxLength: 5 }).map(
  (pieces): Literal => ({
    kind: "unicode",
    sql: `U&'${pieces.map(([s]) => s).join("")}'`,
    on: pieces.map(([, v]) => v).join(""),
    off: null,
  }),
);
const dollar = fc
  .tuple(fc.constantFrom("", "t", "tag_1"), fc.array(fc.constantFrom(...dollarPieces), { maxLength: 6 }))
  .map(([tag, pieces]) => ({ delimiter: `$${tag}$`, body: pieces.join("") }))
  // The body ends at the first closing delimiter, as in the engine's lexer.
  .filter(({ delimiter, body }) => (body + delimiter).indexOf(delimiter) === body.length)
  .map(
    ({ delimiter, body }): Literal => ({
      kind: "dollar",
      sql: `${delimiter}${body}${delimiter}`,
      on: body,
      off: body,
    }),
  );
const literal = fc.oneof(plain, escaped, unicode, dollar);

/** Text between tokens that holds no value: comments (nested ones too) and blanks. */
const commentPieces = [";", "'", "'", "$$", '"', "a", "\\", " ", "E'", "--", "$t$"];
const filler = fc.oneof(
  fc.constant(" "),
  fc.constant("\n"),
  fc.constant(" -- '\n"),
  fc.array(fc.constantFrom(...commentPieces), { maxLength: 4 }).map((p) => ` -- ${p.join("")}\n`),
  fc
    .tuple(
      fc.array(fc.constantFrom(...commentPieces), { maxLength: 3 }),
      fc.array(fc.constantFrom(...commentPieces), { maxLength: 3 }),
    )
    .map(([a, b]) => ` /* ${a.join("")} /* ${b.join("")} */ ${a.join("")} */ `),
);
const alias = fc
  .array(fc.constantFrom("a", ";", "'", '""', "$$", "--", " ", "\\"), { minLength: 1, maxLength: 4 })
  .map((p) => ` AS "${p.join("")}"`);

const item = fc
  .tuple(
    fc.option(filler, { nil: "" }),
    literal,
    fc.option(alias, { nil: "" }),
    fc.option(filler, { nil: "" }),
  )
  .map(([before, lit, as, after]) => ({ sql: `${before}${lit.sql}${as}${after}`, literal: lit }));
const statement = fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => ({
  sql: `SELECT ${items.map((i) => i.sql).join(", ")}`,
  literals: items.map((i) => i.literal),
}));
const submission = fc
  .tuple(
    fc.array(fc.tuple(statement, fc.option(filler, { nil: "" })), { minLength: 1, maxLength: 3 }),
    fc.option(filler, { nil: "" }),
    fc.boolean(),
  )
  .map(([parts, lead, trailing]) => ({
    sql: `${lead}${parts.map(([s, f]) => `${s.sql}${f}`).join(";")}${trailing ? ";" : ""}`,
    statements: parts.map(([s]) => s.literals),
  }));

/** The string values in the policy's own parse tree of a statement as it will be sent. */
function policyStrings(statementText: string): string[] {
  const select = parseSync(statementText).stmts?.[0]?.stmt;
  const targets = select !== undefined && "SelectStmt" in select ? (select.SelectStmt.targetList ?? []) : [];
  return targets.map((target) => {
    const value = "ResTarget" in target ? target.ResTarget.val : undefined;
    return value !== undefined && "A_Const" in value ? (value.A_Const.sval?.sval ?? "") : "<not a string>";
  });
}

async function rowsOf(query: string): Promise<unknown[][] | Error> {
  try {
    return (await pg.query<unknown[]>(query, [], { rowMode: "array" })).rows;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs the policy, then the engine, on one generated submission. */
async function agree(
  generated: { sql: string; statements: Literal[][] },
  conforming: boolean,
): Promise<void> {
  const result = checkSubmission(generated.sql, { allowWrites: true, maxStatements: 50 });
  const literals = generated.statements.flat();
  const ambiguousSource = literals.some(
    (l) => (l.kind === "plain" || l.kind === "unicode") && l.sql.includes("\\'"),
  );
  if (!result.ok) {
    // The only refusal these inputs earn is the ambiguity rule, and only where it applies.
    expect(result.message).toMatch(/ambiguous/);
    expect(ambiguousSource).toBe(true);
    return;
  }
  expect(ambiguousSource).toBe(false);
  expect(result.statements).toHaveLength(generated.statements.length);
  for (const [i, text] of result.statements.entries()) {
    const model = generated.statements[i] ?? [];
    expect(policyStrings(text)).toEqual(model.map((l) => l.on));
    // One statement per query (the extended protocol refuses two), with the engine's own strings.
    const rows = await rowsOf(text);
    if (conforming) expect(rows).toEqual([model.map((l) => l.on)]);
    else if (model.some((l) => l.off === null)) expect(rows).toBeInstanceOf(Error);
    // With the setting off the engine may refuse; if it runs, it reads the same statement and strings.
    else if (!(rows instanceof Error)) expect(rows).toEqual([model.map((l) => l.off)]);
  }
  // The whole text through the simple protocol: the engine's own split, statement by statement.
  let whole: unknown[][][] | Error;
  try {
    whole = (await pg.exec(generated.sql, { rowMode: "array" })).map((r) => r.rows as unknown[][]);
  } catch (error) {
    whole = error instanceof Error ? error : new Error(String(error));
  }
  if (conforming) expect(whole).toEqual(generated.statements.map((model) => [model.map((l) => l.on)]));
  else if (!(whole instanceof Error))
    expect(whole).toEqual(generated.statements.map((model) => [model.map((l) => l.off)]));
}

describe("postgres submission policy against the engine", () => {
  it("given generated SQL with standard_conforming_strings on, splits statements and reads strings as PostgreSQL does", async () => {
    await pg.exec("SET standard_conforming_strings = on");
    await fc.assert(
      fc.asyncProperty(submission, (generated) => agree(generated, true)),
      { numRuns: 150 },
    );
  });

  it("given generated SQL with standard_conforming_strings off, every accepted text still splits and reads the same or fails", async () => {
    await pg.exec("SET standard_conforming_strings = off; SET escape_string_warning = off");
    try {
      await fc.assert(
        fc.asyncProperty(submission, (generated) => agree(generated, false)),
        { numRuns: 150 },
      );
    } finally {
      await pg.exec("RESET standard_conforming_strings; RESET escape_string_warning");
    }
  });

  it("given arbitrary text, never throws and refuses in one line", () => {
    const fragment = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "'",
        '"',
        "$$",
        "$a$",
        "/*",
        "*/",
        "--",
        "\n",
        ";",
        "\\",
        "E'",
        "U&'",
        "(",
        "[",
        "SELECT ",
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS ",
        "BEGIN ",
        "END",
      ),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (pieces) => {
        for (const allowWrites of [false, true]) {
          const result = checkSubmission(pieces.join(""), { allowWrites, maxStatements: 50 });
          if (result.ok) for (const s of result.statements) expect(s).toBe(s.trim());
          else expect(result.message).toMatch(/^[^\n]+$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
