import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockedReason, splitStatements, startsWithExplain, tokenize } from "./sql-text.js";

describe("tokenize", () => {
  it("given comments, strings and quoted names, keeps only the tokens SQLite sees", () => {
    const tokens = tokenize(`SELECT 'it''s', "a""b", \`c\`, [d e] -- attach\n/* vacuum */ FROM t;`);
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ["word", "SELECT"],
      ["string", "it's"],
      ["punct", ","],
      ["quoted", 'a"b'],
      ["punct", ","],
      ["quoted", "c"],
      ["punct", ","],
      ["quoted", "d e"],
      ["word", "FROM"],
      ["word", "t"],
      ["semi", ";"],
    ]);
  });

  it("given unterminated quotes and comments, runs them to the end of the text", () => {
    expect(tokenize("select 'abc attach").map((t) => t.kind)).toEqual(["word", "string"]);
    expect(tokenize("select /* attach").map((t) => t.kind)).toEqual(["word"]);
    expect(tokenize("select [attach").map((t) => t.kind)).toEqual(["word", "quoted"]);
  });

  it("given non-ASCII characters, treats them as identifier characters like SQLite", () => {
    expect(tokenize("attach\u00a0x").map((t) => t.value)).toEqual(["attach\u00a0x"]);
  });
});

describe("blockedReason", () => {
  it.each([
    ["ATTACH 'x.db' AS y", /ATTACH/],
    ["/*x*/ATTACH 'x.db' AS y", /ATTACH/],
    ["select 1;attach 'x' as y", /ATTACH/],
    ["detach y", /DETACH/],
    ["VaCuUm", /VACUUM/],
    ["vacuum into '/tmp/pwned.db'", /VACUUM/],
    ["select load_extension('x')", /load_extension/],
    ["select \"load_extension\"('x')", /load_extension/],
    ["select [LOAD_EXTENSION]('x')", /load_extension/],
    ["select fts3_tokenizer('x', x'00')", /fts3_tokenizer/],
    ["PRAGMA writable_schema=1", /writable_schema/],
    ["pRaGmA/**/journal_mode=OFF", /journal_mode/],
    ["PRAGMA query_only = 0", /query_only/],
    ["PRAGMA hard_heap_limit", /hard_heap_limit/],
    ["PRAGMA 'query_only' = 0", /query_only/],
    ["PRAGMA main.journal_mode", /journal_mode/],
    ["PRAGMA table_info = 1", /only be read/],
    ["PRAGMA table_info == 1", /only be read/],
    ["PRAGMA", /PRAGMA/],
    ["select * from pragma_query_only", /pragma_query_only/],
    ["select * from 'pragma_compile_options'", /pragma_compile_options/],
    ['select * from main."PRAGMA_DATABASE_LIST"', /pragma_database_list/],
    ["select 1 \u0000 attach", /NUL/],
    // Errs on the safe side: SQLite reads `:vacuum` as a parameter name, this check as VACUUM.
    ["select :vacuum", /VACUUM/],
  ])("given %j, blocks it", (sql, message) => {
    expect(blockedReason(sql)).toMatch(message);
  });

  it.each([
    "select 'attach', \"vacuum\" from t -- pragma writable_schema=1",
    "select * from t /* ATTACH 'x' as y */",
    "select 1 as [vacuum]",
    "select AT/**/TACH",
    "select $attach",
    "PRAGMA table_info(t)",
    "pragma main.table_info('t');",
    "PRAGMA index_list(t)",
    'PRAGMA "foreign_key_list"(t)',
    "select * from pragma_table_info('t')",
    "select load_extension_count from t",
    "select x'00' || 'load' || '_extension'",
  ])("given %j, lets it through", (sql) => {
    expect(blockedReason(sql)).toBeNull();
  });

  it("given a 1 MB text, answers (a scan that backtracked would not finish)", () => {
    const sql = `select ${"'a', ".repeat(200_000)}1`;
    expect(blockedReason(sql)).toBeNull();
  });
});

describe("splitStatements", () => {
  it("given statements, splits them where SQLite would, keeping quoted and commented semicolons", () => {
    expect(splitStatements("select ';'; select 2 -- ;\n; ;;  ")).toEqual([
      "select ';';",
      " select 2 -- ;\n;",
    ]);
  });

  it("given a trigger body, keeps it in one statement", () => {
    const trigger =
      "create temp trigger tr after insert on t begin update t set a = 1; select case when 1 then 2 end; end;";
    expect(splitStatements(`${trigger} insert into t values (1)`)).toEqual([
      trigger,
      " insert into t values (1)",
    ]);
  });

  it("given only comments and semicolons, finds no statement", () => {
    expect(splitStatements(" -- nothing\n ; /* here */ ;")).toEqual([]);
  });

  it("given EXPLAIN first, says so", () => {
    expect(startsWithExplain("/* c */ explain select 1")).toBe(true);
    expect(startsWithExplain("select 1")).toBe(false);
  });
});

describe("blockedReason against SQLite itself", () => {
  // Soups of fragments that hide, split and quote keywords. Whatever SQLite actually runs from a
  // soup must have been blocked: an ATTACH shows in database_list, a PRAGMA in user_version.
  const fragments = [
    "ATTACH ':memory:' AS y",
    "attach",
    "AT",
    "TACH",
    "':memory:' as z",
    "PRAGMA user_version=7",
    "pragma",
    "user_version",
    "=7",
    "main.",
    "SELECT 1",
    "select 'a'",
    "'",
    '"',
    "`",
    "[",
    "]",
    "--",
    "\n",
    "/*",
    "*/",
    " ",
    ";",
    "$",
    ":",
    "@",
    "1",
    ".",
    "x",
    "é",
    "\u00a0",
  ];

  it("given random soups of fragments, never lets through an ATTACH or PRAGMA that SQLite runs", () => {
    const db = new Database(":memory:");
    try {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }), (parts) => {
          const sql = parts.join("");
          for (const name of db.pragma("database_list") as { name: string }[]) {
            if (name.name !== "main" && name.name !== "temp") db.exec(`DETACH ${name.name}`);
          }
          db.pragma("user_version = 0");
          try {
            db.exec(sql);
          } catch {
            // only what ran before the error counts
          }
          const attached = (db.pragma("database_list") as unknown[]).length > 1;
          const changed = db.pragma("user_version", { simple: true }) !== 0;
          if (attached || changed) expect(blockedReason(sql), sql).not.toBeNull();
        }),
        { numRuns: 3_000, seed: 20_240_501 },
      );
    } finally {
      db.close();
    }
  });
});
