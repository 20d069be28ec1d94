import { describe, expect, it } from "vitest";
import { checkStatement, maxNesting, splitStatements, tokenize } from "./sql-scan.js";

function texts(sql: string): string[] {
  const r = splitStatements(sql);
  if (!r.ok) throw new Error(r.message);
  return r.statements.map((s) => s.text);
}

function verdict(sql: string): string {
  const r = splitStatements(sql);
  if (!r.ok) return `${r.reason}: ${r.message}`;
  for (const s of r.statements) {
    const refusal = checkStatement(s);
    if (refusal) return `${refusal.reason}: ${refusal.message}`;
  }
  return "ok";
}

describe("postgres sql scanner", () => {
  it("given semicolons inside literals, comments and dollar quotes, splits only at real ones", () => {
    expect(
      texts(
        "SELECT ';' AS a; SELECT $$;$$; /* ; /* nested ; */ ; */ SELECT E'\\';' -- ;\n; SELECT $t$ $$ ; $t$; SELECT \"a;b\" FROM t",
      ),
    ).toEqual([
      "SELECT ';' AS a",
      "SELECT $$;$$",
      "SELECT E'\\';' -- ;",
      "SELECT $t$ $$ ; $t$",
      'SELECT "a;b" FROM t',
    ]);
  });

  it("given empty statements and trailing semicolons, drops them", () => {
    expect(texts(" ;; SELECT 1 ; ; -- done\n")).toEqual(["SELECT 1"]);
    expect(texts("  -- only a comment ")).toEqual([]);
  });

  it("given a SQL-standard function body, keeps BEGIN ATOMIC … END in one statement", () => {
    expect(
      texts(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT f()",
      ),
    ).toHaveLength(2);
  });

  it("given a dollar sign inside an identifier or a parameter, does not start a dollar quote", () => {
    const kinds = tokenize("SELECT a$b$, $1, $x$ body $x$").map((t) => `${t.kind}:${t.value}`);
    expect(kinds).toEqual(["word:select", "word:a$b$", "punct:,", "param:$1", "punct:,", "dollar: body "]);
  });

  it("given an escape string, honours backslash-escaped quotes (and standard strings do not)", () => {
    expect(verdict("SELECT E'\\'', pg_read_file('/etc/passwd') --'")).toMatch(
      /^blocked: calling pg_read_file/,
    );
    expect(verdict("SELECT '\\', 'pg_read_file(x)'")).toBe("ok");
  });

  it("given unterminated literals or comments, reports a syntax error", () => {
    expect(verdict("SELECT 'abc")).toMatch(/^syntax/);
    expect(verdict("SELECT 1 /* /* */")).toMatch(/^syntax/);
    expect(verdict("SELECT $a$ x $b$")).toMatch(/^syntax/);
    expect(verdict('SELECT "abc')).toMatch(/^syntax/);
    expect(verdict("SELECT 1\0")).toMatch(/^syntax/);
  });

  it("given nesting past the limit, refuses it as too large", () => {
    const deep = `SELECT ${"(".repeat(maxNesting + 1)}1${")".repeat(maxNesting + 1)}`;
    expect(verdict(deep)).toMatch(/^too-large/);
    const ok = `SELECT ${"(".repeat(50)}1${")".repeat(50)}`;
    expect(verdict(ok)).toBe("ok");
  });

  it.each([
    ["COPY t TO '/tmp/x'", /COPY/],
    ["copy (select 1) to program 'id'", /COPY/],
    ["LOAD 'plpgsql'", /LOAD/],
    ["DO $$ BEGIN NULL; END $$", /DO blocks/],
    ["BEGIN", /transaction control/],
    ["start transaction", /transaction control/],
    ["COMMIT", /transaction control/],
    ["end", /transaction control/],
    ["ROLLBACK", /transaction control/],
    ["abort", /transaction control/],
    ["SAVEPOINT s", /transaction control/],
    ["RELEASE s", /transaction control/],
    ["PREPARE TRANSACTION 'x'", /PREPARE TRANSACTION/],
    ["SET ROLE postgres", /SET/],
    ["set session authorization postgres", /SET/],
    ["SET statement_timeout = 0", /SET/],
    ["SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", /SET/],
    ["SET LOCAL search_path = public", /SET/],
    ["RESET ROLE", /RESET/],
    ["CREATE EXTENSION dblink", /extensions/],
    ["DROP EXTENSION plpgsql", /extensions/],
    ["CREATE ROLE r", /roles/],
    ["ALTER USER postgres PASSWORD 'x'", /roles/],
    ["GRANT ALL ON t TO public", /GRANT/],
    ["REVOKE ALL ON t FROM public", /REVOKE/],
    ["ALTER SYSTEM SET work_mem = '1GB'", /ALTER SYSTEM/],
    ["LISTEN ch", /LISTEN/],
    ["NOTIFY ch", /NOTIFY/],
    ["CREATE TABLESPACE x LOCATION '/tmp'", /tablespaces/],
    ["CREATE OR REPLACE TRUSTED LANGUAGE x HANDLER h", /languages/],
    ["CREATE SCHEMA s CREATE TABLE t (a int) GRANT SELECT ON t TO public", /GRANT/],
    ["CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY ch", /NOTIFY/],
    ["VACUUM t", /VACUUM/],
    ["SELECT pg_read_file('/etc/passwd')", /pg_read_file/],
    ["SELECT pg_catalog.pg_ls_dir('/')", /pg_ls_dir/],
    ["SELECT \"pg_stat_file\"('/')", /pg_stat_file/],
    ["SELECT lo_import('/etc/passwd')", /lo_import/],
    ["SELECT dblink_exec('x', 'y')", /dblink_exec/],
    ["SELECT pg_sleep(10)", /pg_sleep/],
    ["SELECT pg_sleep_for('1 hour')", /pg_sleep_for/],
    ["SELECT set_config('a.b', 'c', false)", /set_config/],
    ["SELECT pg_terminate_backend(1)", /pg_terminate_backend/],
    ["SELECT query_to_xml('select 1', true, false, '')", /query_to_xml/],
    ['SELECT U&"\\0070g_sleep"(1)', /Unicode-escaped/],
    ["CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'x', 'y'", /LANGUAGE c/],
    ["CREATE FUNCTION f() RETURNS int AS 'int4pl' LANGUAGE internal", /LANGUAGE internal/],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'select 1'; END $$", /EXECUTE/],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ COPY t TO '/tmp/x' $$", /COPY/],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); END $$", /pg_sleep/],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN SET search_path = x; END $$", /SET/],
    [
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET standard_conforming_strings = off AS 'select 1'",
      /SET/,
    ],
    ["ALTER FUNCTION f() SET work_mem = '1GB'", /SET/],
    [
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $a$ BEGIN CREATE FUNCTION g() RETURNS int LANGUAGE c AS 'x'; END $a$",
      /LANGUAGE c/,
    ],
  ])("given %s, refuses it as blocked", (sql, message) => {
    const v = verdict(sql);
    expect(v).toMatch(/^blocked: /);
    expect(v).toMatch(message);
  });

  it.each([
    "SELECT * FROM t WHERE note = 'COPY t TO /tmp; pg_read_file()'",
    "SELECT 1 -- COPY t TO '/tmp/x'",
    "SELECT /* pg_sleep(10) /* nested */ still a comment */ 1",
    "SELECT $body$ DO $$ LOOP $$ $body$",
    "UPDATE t SET a = 1 WHERE b = 2",
    "SET CONSTRAINTS ALL DEFERRED",
    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    "CREATE TABLE t2 (a int REFERENCES t ON DELETE SET NULL)",
    "CREATE FUNCTION f(n int) RETURNS int LANGUAGE sql AS $$ UPDATE t SET a = n RETURNING a $$",
    "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := 1; RETURN NEW; END $$",
    "WITH x AS (SELECT 1) SELECT * FROM x",
    "EXPLAIN SELECT 1",
    "SELECT current_setting('TimeZone')",
  ])("given %s, lets it through", (sql) => {
    expect(verdict(sql)).toBe("ok");
  });
});
