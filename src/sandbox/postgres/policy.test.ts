import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkSubmission, loadPolicy, type PolicyRefusal } from "./policy.js";

beforeAll(async () => {
  await loadPolicy();
});

type Mode = "read" | "write";
const options = (mode: Mode, maxStatements = 50) => ({ allowWrites: mode === "write", maxStatements });
const r = String.raw;

const plpgsql = (body: string, returns = "int") =>
  `CREATE FUNCTION f() RETURNS ${returns} LANGUAGE plpgsql AS $body$ ${body} $body$`;
const nestedFunctions = (depth: number): string =>
  depth === 0
    ? "SELECT 1"
    : `CREATE FUNCTION f${depth}() RETURNS int LANGUAGE sql AS $f${depth}$ ${nestedFunctions(depth - 1)} $f${depth}$`;

/** [what it is, SQL, task mode, expected reason, message pattern] */
const hostile: [string, string, Mode, PolicyRefusal["reason"], RegExp][] = [
  // Settings, by every route.
  [
    "an UPDATE of pg_settings that turns standard_conforming_strings off",
    "UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'",
    "write",
    "blocked",
    /pg_settings/,
  ],
  [
    "an UPDATE of pg_settings in a read-only task",
    "UPDATE pg_catalog.pg_settings SET setting = 'off'",
    "read",
    "blocked",
    /pg_settings/,
  ],
  [
    "an UPDATE of pg_settings inside a CTE",
    "WITH s AS (UPDATE pg_settings SET setting = 'off' RETURNING 1) SELECT * FROM s",
    "write",
    "blocked",
    /pg_settings/,
  ],
  [
    "a MERGE into pg_settings",
    "MERGE INTO pg_settings s USING (SELECT 1) x ON true WHEN MATCHED THEN UPDATE SET setting = 'off'",
    "write",
    "blocked",
    /pg_settings/,
  ],
  [
    "an INSERT into pg_proc",
    "INSERT INTO pg_catalog.pg_proc SELECT * FROM pg_proc",
    "write",
    "blocked",
    /pg_proc/,
  ],
  ["a TRUNCATE of a catalog", "TRUNCATE pg_catalog.pg_description", "write", "blocked", /pg_description/],
  ["an ALTER TABLE of a catalog", "ALTER TABLE pg_class ADD COLUMN x int", "write", "blocked", /pg_class/],
  ["a DROP of a catalog", "DROP TABLE pg_catalog.pg_class", "write", "blocked", /system object/],
  [
    "an UPDATE of an information_schema table",
    "UPDATE information_schema.sql_features SET comments = 'x'",
    "write",
    "blocked",
    /information_schema/,
  ],
  [
    "a view over pg_settings (updatable through its rules)",
    "CREATE VIEW v AS SELECT * FROM pg_settings",
    "write",
    "blocked",
    /views over system catalogs/,
  ],
  [
    "set_config()",
    "SELECT set_config('standard_conforming_strings', 'off', false)",
    "read",
    "blocked",
    /calling set_config\(\) is not allowed/,
  ],
  [
    "a schema-qualified set_config()",
    "SELECT pg_catalog.set_config('search_path', 'x', true)",
    "write",
    "blocked",
    /set_config/,
  ],
  [
    "SET standard_conforming_strings = off",
    "SET standard_conforming_strings = off",
    "read",
    "blocked",
    /changing settings \(SET\)/,
  ],
  ["SET LOCAL", "SET LOCAL search_path = public", "write", "blocked", /changing settings \(SET\)/],
  [
    "SET SESSION CHARACTERISTICS",
    "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
    "write",
    "blocked",
    /changing settings/,
  ],
  [
    "SET TRANSACTION READ WRITE in a read-only task",
    "SET TRANSACTION READ WRITE",
    "read",
    "blocked",
    /READ WRITE/,
  ],
  [
    "SET TRANSACTION READ WRITE in a write task",
    "SET TRANSACTION READ WRITE",
    "write",
    "blocked",
    /READ WRITE/,
  ],
  [
    "SET TRANSACTION ISOLATION LEVEL in a read-only task",
    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    "read",
    "blocked",
    /one query/,
  ],
  ["RESET ALL", "RESET ALL", "write", "blocked", /RESET/],
  ["RESET of one setting", "RESET standard_conforming_strings", "write", "blocked", /RESET/],
  ["SET ROLE", "SET ROLE postgres", "read", "blocked", /SET ROLE/],
  [
    "SET SESSION AUTHORIZATION",
    "set session authorization postgres",
    "read",
    "blocked",
    /SESSION AUTHORIZATION/,
  ],
  ["ALTER SYSTEM", "ALTER SYSTEM SET work_mem = '1GB'", "write", "blocked", /ALTER SYSTEM/],
  [
    "ALTER ROLE … SET",
    "ALTER ROLE postgres SET standard_conforming_strings = off",
    "write",
    "blocked",
    /roles/,
  ],
  [
    "ALTER DATABASE … SET",
    "ALTER DATABASE postgres SET standard_conforming_strings = off",
    "write",
    "blocked",
    /databases/,
  ],
  [
    "a function with a SET clause",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET standard_conforming_strings = off AS 'select 1'",
    "write",
    "blocked",
    /change settings/,
  ],
  [
    "a function with a RESET clause",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql RESET work_mem AS 'select 1'",
    "write",
    "blocked",
    /change settings/,
  ],
  ["ALTER FUNCTION … SET", "ALTER FUNCTION f() SET work_mem = '1GB'", "write", "blocked", /ALTER FUNCTION/],
  // Blocked functions, however they are named.
  ["pg_read_file()", "SELECT pg_read_file('/etc/passwd')", "read", "blocked", /calling pg_read_file\(\)/],
  ["a schema-qualified pg_ls_dir()", "SELECT pg_catalog.pg_ls_dir('/')", "read", "blocked", /pg_ls_dir/],
  ["a quoted function name", "SELECT \"pg_stat_file\"('/')", "read", "blocked", /pg_stat_file/],
  ["a Unicode-escaped function name", r`SELECT U&"\0070g_sleep"(1)`, "read", "blocked", /pg_sleep/],
  [
    "a set-returning blocked function in FROM",
    "SELECT * FROM pg_ls_dir('/')",
    "read",
    "blocked",
    /pg_ls_dir/,
  ],
  ["lo_import()", "select lo_import('/etc/passwd')", "read", "blocked", /lo_import/],
  ["dblink_exec()", "SELECT dblink_exec('x', 'y')", "read", "blocked", /dblink_exec/],
  ["pg_sleep_for()", "SELECT pg_sleep_for('1 hour')", "read", "blocked", /pg_sleep_for/],
  ["pg_terminate_backend()", "SELECT pg_terminate_backend(1)", "read", "blocked", /pg_terminate_backend/],
  ["pg_notify()", "SELECT pg_notify('ch', 'x')", "read", "blocked", /pg_notify/],
  [
    "query_to_xml(), which runs SQL from a string",
    "SELECT query_to_xml('select pg_read_file(''/etc/passwd'')', true, false, '')",
    "read",
    "blocked",
    /query_to_xml/,
  ],
  ["ts_stat(), which runs SQL from a string", "SELECT ts_stat('select 1')", "read", "blocked", /ts_stat/],
  [
    "a PostgreSQL 18 statistics writer",
    "SELECT pg_restore_relation_stats('relation', 't'::regclass, 'reltuples', 1e9::real)",
    "read",
    "blocked",
    /pg_restore_relation_stats/,
  ],
  [
    "a replication function",
    "SELECT pg_create_physical_replication_slot('s')",
    "read",
    "blocked",
    /replication/,
  ],
  ["CALL of a blocked function", "CALL pg_sleep(1)", "write", "blocked", /pg_sleep/],
  [
    "a blocked call in the second half of a UNION",
    "SELECT 1 UNION SELECT pg_sleep(1)",
    "read",
    "blocked",
    /pg_sleep/,
  ],
  ["a blocked call in a scalar subquery", "SELECT (SELECT pg_sleep(1))", "read", "blocked", /pg_sleep/],
  [
    "a blocked call in a CTE",
    "WITH x AS (SELECT pg_read_file('a')) SELECT * FROM x",
    "read",
    "blocked",
    /pg_read_file/,
  ],
  [
    "a blocked call under EXPLAIN ANALYZE",
    "EXPLAIN ANALYZE SELECT pg_sleep(10)",
    "read",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a blocked call after a nested comment",
    "SELECT /* /* nested */ still comment */ pg_sleep(30)",
    "read",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a blocked call between dollar quotes that hide text",
    "SELECT $a$ $$ $a$, pg_read_file('/etc/passwd'), $$ x $$",
    "read",
    "blocked",
    /pg_read_file/,
  ],
  [
    "a blocked call after an escaped quote in an E'' string",
    r`SELECT E'\'', pg_read_file('/etc/passwd') --'`,
    "read",
    "blocked",
    /pg_read_file/,
  ],
  // Functions named by strings.
  [
    "a function named as a string literal in CREATE OPERATOR",
    "CREATE OPERATOR === (leftarg = int, rightarg = int, FUNCTION = 'lo_from_bytea')",
    "write",
    "blocked",
    /operators, aggregates and base types/,
  ],
  [
    "a function named as a string literal in CREATE AGGREGATE",
    "CREATE AGGREGATE a (text) (sfunc = 'pg_read_file', stype = text)",
    "write",
    "blocked",
    /operators, aggregates and base types/,
  ],
  [
    "a base type with file-reading I/O functions",
    "CREATE TYPE t (input = lo_import, output = textout)",
    "write",
    "blocked",
    /base types/,
  ],
  [
    "a cast through a blocked function",
    "CREATE CAST (text AS int) WITH FUNCTION pg_read_file(text)",
    "write",
    "blocked",
    /CAST/,
  ],
  ["a '…'::regproc cast", "SELECT 'pg_read_file'::regproc", "read", "blocked", /pg_read_file/],
  [
    "a CAST(… AS regprocedure) with a qualified signature",
    "SELECT CAST('pg_catalog.pg_read_file(text)' AS regprocedure)",
    "read",
    "blocked",
    /pg_read_file/,
  ],
  ["a regproc '…' typed literal", "SELECT regproc 'lo_export'", "read", "blocked", /lo_export/],
  ["a text-then-regproc double cast", `SELECT '"pg_ls_dir"'::text::regproc`, "read", "blocked", /pg_ls_dir/],
  ["to_regproc() of a blocked name", "SELECT to_regproc('pg_sleep')", "read", "blocked", /pg_sleep/],
  ["a regproc string with a backslash", r`SELECT 'pg_read\x5ffile'::regproc`, "read", "blocked", /backslash/],
  // Blocked functions anywhere in DDL.
  [
    "a column DEFAULT",
    "CREATE TABLE t (x text DEFAULT pg_read_file('x'))",
    "write",
    "blocked",
    /pg_read_file/,
  ],
  [
    "a CHECK constraint",
    "CREATE TABLE t (x int CHECK (pg_sleep(1) IS NOT NULL))",
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a generated column",
    "CREATE TABLE t (x oid GENERATED ALWAYS AS (lo_creat(-1)) STORED)",
    "write",
    "blocked",
    /lo_creat/,
  ],
  ["an index expression", "CREATE INDEX ON t ((pg_read_file(name)))", "write", "blocked", /pg_read_file/],
  [
    "a trigger that executes a blocked function",
    "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION lo_export(1, 'x')",
    "write",
    "blocked",
    /lo_export/,
  ],
  ["a PREPAREd query", "PREPARE p AS SELECT pg_sleep(1)", "write", "blocked", /pg_sleep/],
  ["CREATE TABLE AS", "CREATE TABLE t2 AS SELECT pg_read_file('x')", "write", "blocked", /pg_read_file/],
  ["a view", "CREATE VIEW v AS SELECT pg_ls_dir('/')", "write", "blocked", /pg_ls_dir/],
  [
    "ALTER TABLE … SET DEFAULT",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT pg_sleep(1)",
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a domain CHECK",
    "CREATE DOMAIN d AS text CHECK (pg_read_file(VALUE) IS NOT NULL)",
    "write",
    "blocked",
    /pg_read_file/,
  ],
  ["a cursor", "DECLARE c CURSOR FOR SELECT pg_sleep(1)", "write", "blocked", /pg_sleep/],
  [
    "renaming a blocked function to call it by another name",
    "ALTER FUNCTION pg_read_file(text) RENAME TO innocent",
    "write",
    "blocked",
    /pg_read_file/,
  ],
  ["dropping a built-in function", "DROP FUNCTION pg_sleep(float8)", "write", "blocked", /pg_sleep/],
  [
    "a parameter default",
    "CREATE FUNCTION f(a text DEFAULT pg_read_file('x')) RETURNS text LANGUAGE sql AS 'select a'",
    "write",
    "blocked",
    /pg_read_file/,
  ],
  // PL/pgSQL bodies.
  ["PL/pgSQL EXECUTE", plpgsql("BEGIN EXECUTE 'select 1'; RETURN 1; END"), "write", "blocked", /dynamic SQL/],
  [
    "PL/pgSQL EXECUTE of a string built from pieces",
    plpgsql("BEGIN EXECUTE 'LO' || 'AD ''plpgsql'''; RETURN 1; END"),
    "write",
    "blocked",
    /dynamic SQL/,
  ],
  [
    "PL/pgSQL FOR … IN EXECUTE",
    plpgsql("DECLARE r record; BEGIN FOR r IN EXECUTE 'select 1' LOOP END LOOP; RETURN 1; END"),
    "write",
    "blocked",
    /dynamic SQL/,
  ],
  [
    "PL/pgSQL OPEN … FOR EXECUTE",
    plpgsql("DECLARE c refcursor; BEGIN OPEN c FOR EXECUTE 'select 1'; RETURN 1; END"),
    "write",
    "blocked",
    /dynamic SQL/,
  ],
  [
    "PL/pgSQL RETURN QUERY EXECUTE",
    plpgsql("BEGIN RETURN QUERY EXECUTE 'select 1'; END", "SETOF int"),
    "write",
    "blocked",
    /dynamic SQL/,
  ],
  [
    "PL/pgSQL PERFORM pg_read_file()",
    plpgsql("BEGIN PERFORM pg_read_file('/etc/passwd'); RETURN 1; END"),
    "write",
    "blocked",
    /pg_read_file/,
  ],
  [
    "a PL/pgSQL assignment",
    plpgsql("DECLARE x text; BEGIN x := pg_read_file('/etc/passwd'); RETURN 1; END"),
    "write",
    "blocked",
    /pg_read_file/,
  ],
  [
    "a PL/pgSQL assignment target subscript",
    plpgsql("DECLARE a int[]; BEGIN a[pg_sleep(1)::int] = 1; RETURN 1; END"),
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a PL/pgSQL DECLARE default",
    plpgsql("DECLARE x oid := lo_import('/etc/passwd'); BEGIN RETURN 1; END"),
    "write",
    "blocked",
    /lo_import/,
  ],
  [
    "a PL/pgSQL RAISE parameter",
    plpgsql("BEGIN RAISE NOTICE '%', pg_ls_dir('/'); RETURN 1; END"),
    "write",
    "blocked",
    /pg_ls_dir/,
  ],
  [
    "a PL/pgSQL IF condition",
    plpgsql("BEGIN IF pg_sleep(1) IS NULL THEN RETURN 1; END IF; RETURN 0; END"),
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a PL/pgSQL cursor declaration",
    plpgsql("DECLARE c CURSOR FOR SELECT pg_read_file('x'); BEGIN RETURN 1; END"),
    "write",
    "blocked",
    /pg_read_file/,
  ],
  [
    "COMMIT in a PL/pgSQL procedure",
    "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; COMMIT; END $$",
    "write",
    "blocked",
    /transaction control/,
  ],
  [
    "SET in a PL/pgSQL body",
    plpgsql("BEGIN SET standard_conforming_strings = off; RETURN 1; END"),
    "write",
    "blocked",
    /changing settings \(SET\) is not allowed inside a function body/,
  ],
  [
    "a nested CREATE FUNCTION in LANGUAGE c inside PL/pgSQL",
    plpgsql("BEGIN CREATE FUNCTION g() RETURNS int LANGUAGE c AS 'libc', 'system'; RETURN 1; END"),
    "write",
    "blocked",
    /LANGUAGE c/,
  ],
  [
    "an UPDATE of pg_settings in PL/pgSQL",
    plpgsql("BEGIN UPDATE pg_settings SET setting = 'off' WHERE name = 'x'; RETURN 1; END"),
    "write",
    "blocked",
    /pg_settings/,
  ],
  ["COPY in PL/pgSQL", plpgsql("BEGIN COPY t TO '/tmp/x'; RETURN 1; END"), "write", "blocked", /COPY/],
  ["LOAD in PL/pgSQL", plpgsql("BEGIN LOAD 'plpgsql'; RETURN 1; END"), "write", "blocked", /LOAD/],
  [
    "a PL/pgSQL body that does not parse",
    plpgsql("BEGIN RETURN 1 END"),
    "write",
    "blocked",
    /function body that cannot be checked/,
  ],
  [
    "an ambiguous string inside a PL/pgSQL body",
    plpgsql(r`BEGIN PERFORM 'x\'; RETURN 1; END`),
    "write",
    "blocked",
    /ambiguous/,
  ],
  [
    "a blocked call assigned to a %ROWTYPE field",
    plpgsql("DECLARE r accounts%ROWTYPE; BEGIN r.balance := pg_sleep(1); RETURN 1; END"),
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "an assignment to an undeclared variable",
    plpgsql("BEGIN q.id := 1; RETURN 1; END"),
    "write",
    "blocked",
    /cannot be checked.*not a known variable/,
  ],
  ...(
    [
      ["RAISE … USING", "BEGIN RAISE EXCEPTION USING MESSAGE = pg_sleep(1)::text; END"],
      ["EXIT WHEN", "BEGIN LOOP EXIT WHEN pg_sleep(1) IS NULL; END LOOP; RETURN 1; END"],
      ["CASE", "BEGIN CASE pg_sleep(1)::text WHEN 'a' THEN NULL; ELSE NULL; END CASE; RETURN 1; END"],
      [
        "a cursor argument",
        "DECLARE c CURSOR (a int) FOR SELECT a; r record; BEGIN FOR r IN c(pg_sleep(1)::int) LOOP END LOOP; RETURN 1; END",
      ],
      [
        "FETCH RELATIVE",
        "DECLARE c refcursor; x int; BEGIN FETCH RELATIVE pg_sleep(1)::int FROM c INTO x; RETURN 1; END",
      ],
      ["ASSERT", "BEGIN ASSERT true, pg_sleep(1)::text; RETURN 1; END"],
      [
        "an integer FOR range",
        "DECLARE i int; BEGIN FOR i IN 1..pg_sleep(1)::int BY 2 LOOP END LOOP; RETURN 1; END",
      ],
      [
        "FOREACH",
        "DECLARE x int; BEGIN FOREACH x IN ARRAY ARRAY[pg_sleep(1)::int] LOOP END LOOP; RETURN 1; END",
      ],
      ["WHILE", "BEGIN WHILE pg_sleep(1) IS NULL LOOP END LOOP; RETURN 1; END"],
      [
        "an exception handler",
        "BEGIN BEGIN NULL; EXCEPTION WHEN others THEN PERFORM pg_sleep(1); END; RETURN 1; END",
      ],
      ["CALL arguments", "BEGIN CALL p(pg_sleep(1)); RETURN 1; END"],
      [
        "UPDATE … RETURNING … INTO",
        "DECLARE x int; BEGIN UPDATE t SET a = 1 RETURNING pg_sleep(1) INTO x; RETURN x; END",
      ],
      [
        "a block-qualified assignment",
        "<<blk>> DECLARE x int; BEGIN blk.x := pg_sleep(1)::int; RETURN 1; END",
      ],
      ["ELSIF", "BEGIN IF true THEN NULL; ELSIF pg_sleep(1) IS NULL THEN NULL; END IF; RETURN 1; END"],
    ] as const
  ).map(([where, body]): [string, string, Mode, PolicyRefusal["reason"], RegExp] => [
    `a blocked call in PL/pgSQL ${where}`,
    plpgsql(body),
    "write",
    "blocked",
    /calling pg_sleep\(\) is not allowed/,
  ]),
  [
    "RETURN NEXT in PL/pgSQL",
    plpgsql("BEGIN RETURN NEXT pg_sleep(1)::int; END", "SETOF int"),
    "write",
    "blocked",
    /pg_sleep/,
  ],
  ["SAVEPOINT in PL/pgSQL", plpgsql("BEGIN SAVEPOINT s; RETURN 1; END"), "write", "blocked", /SAVEPOINT/],
  [
    "a DO block in PL/pgSQL",
    plpgsql("BEGIN DO $x$ BEGIN END $x$; RETURN 1; END"),
    "write",
    "blocked",
    /DO blocks/,
  ],
  // SQL-language bodies.
  [
    "a SQL function body in a string calling a blocked function",
    "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'SELECT pg_sleep(1)'",
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "COPY in a SQL function body",
    "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ COPY t TO '/tmp/x' $$",
    "write",
    "blocked",
    /COPY/,
  ],
  [
    "a blocked call in BEGIN ATOMIC",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT lo_import('x'); END",
    "write",
    "blocked",
    /lo_import/,
  ],
  [
    "a RETURN-expression body with a blocked call",
    "CREATE FUNCTION f() RETURNS void RETURN pg_sleep(1)",
    "write",
    "blocked",
    /pg_sleep/,
  ],
  [
    "a nested LANGUAGE internal function in a SQL body",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ CREATE FUNCTION g() RETURNS int LANGUAGE internal AS 'int4pl' $$",
    "write",
    "blocked",
    /LANGUAGE internal/,
  ],
  ["function bodies nested five deep", nestedFunctions(5), "write", "blocked", /nested this deep/],
  [
    "LANGUAGE c",
    "CREATE FUNCTION evil() RETURNS int LANGUAGE c AS 'libc', 'system'",
    "write",
    "blocked",
    /LANGUAGE c/,
  ],
  [
    "LANGUAGE given twice",
    "CREATE FUNCTION f() RETURNS int LANGUAGE c LANGUAGE sql AS 'select 1'",
    "write",
    "blocked",
    /LANGUAGE c|only once/,
  ],
  [
    "LANGUAGE internal",
    "CREATE FUNCTION f() RETURNS int AS 'int4pl' LANGUAGE internal",
    "write",
    "blocked",
    /LANGUAGE internal/,
  ],
  [
    "a '…' function body with a backslash",
    r`CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'select ''a\x27'''`,
    "write",
    "blocked",
    /\$\$/,
  ],
  [
    "a SUPPORT function",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql SUPPORT pg_read_file AS 'select 1'",
    "write",
    "blocked",
    /SUPPORT/,
  ],
  // Statement kinds that never run.
  ["a DO block", "DO $$ BEGIN NULL; END $$", "write", "blocked", /DO blocks are not allowed/],
  [
    "COPY TO PROGRAM",
    "COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'",
    "write",
    "blocked",
    /COPY is not allowed/,
  ],
  ["COPY FROM a file", "COPY accounts FROM '/etc/passwd'", "write", "blocked", /COPY/],
  ["COPY TO STDOUT in a read-only task", "COPY t TO STDOUT", "read", "blocked", /COPY/],
  [
    "COPY after a comment holding a semicolon",
    "SELECT 1; /* ; */ COPY t TO '/tmp/x'",
    "write",
    "blocked",
    /COPY/,
  ],
  ["LOAD", "LOAD 'plpgsql'", "write", "blocked", /LOAD is not allowed/],
  ["BEGIN", "BEGIN", "write", "blocked", /transaction control \(BEGIN\).*own transaction/],
  [
    "COMMIT before a DROP",
    "COMMIT; DROP TABLE accounts",
    "write",
    "blocked",
    /transaction control \(COMMIT\)/,
  ],
  ["END", "END; DELETE FROM accounts", "write", "blocked", /transaction control/],
  ["ROLLBACK", "ROLLBACK", "write", "blocked", /transaction control \(ROLLBACK\)/],
  ["SAVEPOINT", "DELETE FROM t; SAVEPOINT s", "write", "blocked", /SAVEPOINT/],
  ["PREPARE TRANSACTION", "PREPARE TRANSACTION 'keep'", "write", "blocked", /PREPARE TRANSACTION/],
  ["COMMIT PREPARED", "COMMIT PREPARED 'keep'", "write", "blocked", /COMMIT PREPARED/],
  ["CREATE EXTENSION", "CREATE EXTENSION dblink", "write", "blocked", /extensions/],
  ["DROP EXTENSION", "DROP EXTENSION plpgsql", "write", "blocked", /DROP EXTENSION/],
  ["CREATE LANGUAGE", "CREATE OR REPLACE TRUSTED LANGUAGE x HANDLER h", "write", "blocked", /languages/],
  [
    "CREATE CONVERSION",
    "CREATE CONVERSION c FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8859_1",
    "write",
    "blocked",
    /CONVERSION/,
  ],
  [
    "CREATE TRANSFORM",
    "CREATE TRANSFORM FOR int LANGUAGE sql (FROM SQL WITH FUNCTION f(internal))",
    "write",
    "blocked",
    /TRANSFORM/,
  ],
  [
    "CREATE ACCESS METHOD",
    "CREATE ACCESS METHOD m TYPE TABLE HANDLER h",
    "write",
    "blocked",
    /ACCESS METHOD/,
  ],
  [
    "CREATE EVENT TRIGGER",
    "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()",
    "write",
    "blocked",
    /event triggers/,
  ],
  ["CREATE SERVER", "CREATE SERVER s FOREIGN DATA WRAPPER w", "write", "blocked", /foreign data/],
  ["CREATE FOREIGN DATA WRAPPER", "CREATE FOREIGN DATA WRAPPER w", "write", "blocked", /foreign data/],
  ["CREATE FOREIGN TABLE", "CREATE FOREIGN TABLE ft (a int) SERVER s", "write", "blocked", /foreign data/],
  ["CREATE USER MAPPING", "CREATE USER MAPPING FOR public SERVER s", "write", "blocked", /foreign data/],
  [
    "IMPORT FOREIGN SCHEMA",
    "IMPORT FOREIGN SCHEMA x FROM SERVER s INTO public",
    "write",
    "blocked",
    /foreign data/,
  ],
  ["CREATE ROLE", "CREATE ROLE intruder SUPERUSER", "write", "blocked", /roles/],
  ["ALTER USER", "ALTER USER postgres PASSWORD 'x'", "write", "blocked", /roles/],
  ["DROP ROLE", "DROP ROLE r", "write", "blocked", /roles/],
  ["GRANT", "GRANT ALL ON accounts TO PUBLIC", "write", "blocked", /GRANT and REVOKE/],
  ["REVOKE", "REVOKE ALL ON t FROM public", "write", "blocked", /GRANT and REVOKE/],
  ["a role GRANT", "GRANT pg_read_server_files TO public", "write", "blocked", /roles/],
  [
    "ALTER DEFAULT PRIVILEGES",
    "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO public",
    "write",
    "blocked",
    /DEFAULT/,
  ],
  ["REASSIGN OWNED", "REASSIGN OWNED BY a TO b", "write", "blocked", /REASSIGN OWNED/],
  ["DROP OWNED", "DROP OWNED BY a", "write", "blocked", /DROP OWNED/],
  ["SECURITY LABEL", "SECURITY LABEL ON TABLE t IS 'x'", "write", "blocked", /SECURITY LABEL/],
  ["CREATE TABLESPACE", "CREATE TABLESPACE x LOCATION '/tmp'", "write", "blocked", /tablespaces/],
  [
    "ALTER TABLE … SET TABLESPACE",
    "ALTER TABLE t SET TABLESPACE pg_global",
    "write",
    "blocked",
    /TABLESPACE/,
  ],
  ["ALTER TABLE … OWNER TO", "ALTER TABLE t OWNER TO someone", "write", "blocked", /OWNER TO/],
  ["CREATE DATABASE", "CREATE DATABASE d", "write", "blocked", /databases/],
  ["CHECKPOINT", "CHECKPOINT", "write", "blocked", /CHECKPOINT/],
  ["CLUSTER", "CLUSTER t USING t_pkey", "write", "blocked", /CLUSTER/],
  ["REINDEX", "REINDEX TABLE t", "write", "blocked", /REINDEX/],
  ["VACUUM", "VACUUM t", "write", "blocked", /VACUUM/],
  ["ANALYZE", "ANALYZE t", "write", "blocked", /ANALYZE/],
  ["LISTEN", "LISTEN channel", "read", "blocked", /LISTEN/],
  ["UNLISTEN", "UNLISTEN *", "read", "blocked", /UNLISTEN/],
  ["NOTIFY", "NOTIFY ch, 'x'", "write", "blocked", /NOTIFY/],
  ["CREATE PUBLICATION", "CREATE PUBLICATION p FOR ALL TABLES", "write", "blocked", /publications/],
  [
    "CREATE SUBSCRIPTION",
    "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
    "write",
    "blocked",
    /subscriptions/,
  ],
  ["SHOW", "SHOW work_mem", "read", "blocked", /current_setting/],
  ["DISCARD", "DISCARD ALL", "write", "blocked", /DISCARD/],
  [
    "CREATE SCHEMA with a GRANT inside",
    "CREATE SCHEMA s CREATE TABLE t (a int) GRANT SELECT ON t TO public",
    "write",
    "blocked",
    /CREATE SCHEMA/,
  ],
  ["a rule", "CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY ch", "write", "blocked", /rules/],
  ["moving a table to pg_catalog", "ALTER TABLE t SET SCHEMA pg_catalog", "write", "blocked", /SET SCHEMA/],
  ["renaming a schema", "ALTER SCHEMA public RENAME TO x", "write", "blocked", /schema/],
  ["DROP SCHEMA", "DROP SCHEMA public CASCADE", "write", "blocked", /DROP SCHEMA/],
  [
    "REFRESH MATERIALIZED VIEW",
    "REFRESH MATERIALIZED VIEW m",
    "write",
    "blocked",
    /REFRESH MATERIALIZED VIEW/,
  ],
  // The ambiguity rule.
  ["a backslash before the closing quote", r`SELECT 'a\', 'b'`, "read", "blocked", /ambiguous.*E'…'/],
  [
    "a string that would hide a statement with standard_conforming_strings off",
    r`SELECT 'x\'' ; SELECT pg_sleep(1) ; --'`,
    "write",
    "blocked",
    /ambiguous/,
  ],
  ["a doubled backslash before the closing quote", r`SELECT '\\'`, "read", "blocked", /ambiguous/],
  ["a U&'' string with a backslash before a quote", r`SELECT U&'a\'`, "read", "blocked", /ambiguous/],
  ["an N'' string with a backslash before a quote", r`SELECT N'x\'`, "read", "blocked", /ambiguous/],
  ["a MySQL-style escaped quote", r`SELECT 'it\'s'`, "read", "syntax", /unterminated quoted string/],
  // Read-only tasks.
  [
    "an INSERT in a read-only task",
    "INSERT INTO t VALUES (1)",
    "read",
    "read-only",
    /cannot execute INSERT in a read-only transaction/,
  ],
  [
    "a DELETE in a CTE",
    "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
    "read",
    "read-only",
    /DELETE/,
  ],
  ["SELECT … INTO", "SELECT 1 INTO t2", "read", "read-only", /SELECT … INTO/],
  ["EXPLAIN ANALYZE of an UPDATE", "EXPLAIN ANALYZE UPDATE t SET a = 1", "read", "read-only", /UPDATE/],
  ["CREATE TABLE in a read-only task", "CREATE TABLE t (a int)", "read", "read-only", /CREATE TABLE/],
  ["a CALL in a read-only task", "CALL p()", "read", "read-only", /CALL/],
  ["PREPARE in a read-only task", "PREPARE p AS SELECT 1", "read", "blocked", /one query/],
  ["two statements in a read-only task", "SELECT 1; SELECT 2", "read", "blocked", /only one SQL statement/],
  // Syntax and size.
  ["an unterminated string", "SELECT 'abc", "read", "syntax", /unterminated quoted string/],
  ["an unterminated nested comment", "SELECT 1 /* /* */", "read", "syntax", /unterminated \/\* comment/],
  ["an unterminated dollar quote", "SELECT $a$ x $b$", "read", "syntax", /unterminated dollar-quoted string/],
  ["a NUL character", "SELECT 1\0", "read", "syntax", /NUL/],
  ["a lone surrogate", "SELECT '\uD800'", "read", "syntax", /invalid character/],
  ["a syntax error", "SELECT 1 FROM", "read", "syntax", /syntax error at end of input/],
  ["only a comment", "  -- nothing here", "read", "syntax", /empty/],
  ["257 nested parentheses", `SELECT ${"(".repeat(257)}1${")".repeat(257)}`, "read", "too-large", /256/],
  [
    "10,000 nested arrays",
    `SELECT ${"ARRAY[".repeat(10_000)}1${"]".repeat(10_000)}`,
    "read",
    "too-large",
    /256/,
  ],
  ["20,000 chained additions", `SELECT 1${"+1".repeat(20_000)}`, "read", "too-large", /nested too deeply/],
  ["20,000 NOTs", `SELECT ${"NOT ".repeat(20_000)}true`, "read", "too-large", /nested too deeply/],
];

describe("postgres submission policy: hostile input", () => {
  it("has a large table of hostile inputs", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(80);
  });

  it.each(hostile)("given %s, refuses it", (_what, sql, mode, reason, pattern) => {
    const result = checkSubmission(sql, options(mode));
    expect(result.ok, JSON.stringify(result)).toBe(false);
    if (result.ok) return;
    expect(result.reason, result.message).toBe(reason);
    expect(result.message).toMatch(pattern);
    expect(result.message).not.toMatch(/\n/);
  });

  it("given more statements than allowed in a write task, refuses them as too large", () => {
    const result = checkSubmission("SELECT 1; SELECT 2; SELECT 3", options("write", 2));
    expect(result).toEqual({ ok: false, reason: "too-large", message: "at most 2 statements are allowed" });
  });
});

/** [what it is, SQL, task mode, the statements as they will be sent] */
const benign: [string, string, Mode, string[]][] = [
  ["one SELECT", "SELECT 1", "read", ["SELECT 1"]],
  ["surrounding blanks and a semicolon", "  SELECT 1 ;  ", "read", ["SELECT 1"]],
  ["empty statements and a trailing comment", " ;; SELECT 1 ; ; -- done\n", "read", ["SELECT 1"]],
  [
    "semicolons inside literals, comments, dollar quotes and identifiers",
    r`SELECT ';' AS a; SELECT $$;$$; /* ; /* nested ; */ ; */ SELECT E'\';' -- ;
; SELECT $t$ $$ ; $t$; SELECT "a;b" FROM t`,
    "write",
    ["SELECT ';' AS a", "SELECT $$;$$", r`SELECT E'\';' -- ;`, "SELECT $t$ $$ ; $t$", 'SELECT "a;b" FROM t'],
  ],
  [
    "a nested comment that hides a statement",
    "SELECT 1 /* /* */ ; DROP TABLE t; */",
    "read",
    ["SELECT 1 /* /* */ ; DROP TABLE t; */"],
  ],
  [
    "dangerous words inside a string",
    "SELECT * FROM t WHERE note = 'COPY t TO /tmp; pg_read_file()'",
    "read",
    ["SELECT * FROM t WHERE note = 'COPY t TO /tmp; pg_read_file()'"],
  ],
  [
    "dangerous words in a line comment",
    "SELECT 1 -- COPY t TO '/tmp/x'",
    "read",
    ["SELECT 1 -- COPY t TO '/tmp/x'"],
  ],
  [
    "a blocked call inside a nested comment",
    "SELECT /* pg_sleep(10) /* nested */ still a comment */ 1",
    "read",
    ["SELECT /* pg_sleep(10) /* nested */ still a comment */ 1"],
  ],
  [
    "a DO block inside a dollar quote",
    "SELECT $body$ DO $$ LOOP $$ $body$",
    "read",
    ["SELECT $body$ DO $$ LOOP $$ $body$"],
  ],
  [
    "every kind of string constant",
    r`SELECT E'it\'s', 'it''s', U&'\0041', U&'d!0061t' UESCAPE '!', N'n', B'01', X'ff'`,
    "read",
    [r`SELECT E'it\'s', 'it''s', U&'\0041', U&'d!0061t' UESCAPE '!', N'n', B'01', X'ff'`],
  ],
  [
    "a backslash that is not before a quote",
    r`SELECT 'a\nb', 'C:\temp\x'`,
    "read",
    [r`SELECT 'a\nb', 'C:\temp\x'`],
  ],
  [
    "a regular expression",
    r`SELECT * FROM t WHERE name ~ '^\d+$'`,
    "read",
    [r`SELECT * FROM t WHERE name ~ '^\d+$'`],
  ],
  ["string continuation over a newline", "SELECT 'x'\n'y'", "read", ["SELECT 'x'\n'y'"]],
  [
    "non-ASCII text (byte offsets)",
    "SELECT 'é' AS accent; SELECT '日本'",
    "write",
    ["SELECT 'é' AS accent", "SELECT '日本'"],
  ],
  [
    "a quoted identifier with quotes",
    'SELECT "we""ird ; name" FROM t',
    "read",
    ['SELECT "we""ird ; name" FROM t'],
  ],
  ["a CTE", "WITH x AS (SELECT 1) SELECT * FROM x", "read", ["WITH x AS (SELECT 1) SELECT * FROM x"]],
  ["VALUES", "VALUES (1), (2)", "read", ["VALUES (1), (2)"]],
  ["TABLE", "TABLE t", "read", ["TABLE t"]],
  ["a parenthesised UNION", "(SELECT 1) UNION (SELECT 2)", "read", ["(SELECT 1) UNION (SELECT 2)"]],
  [
    "EXPLAIN",
    "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t",
    "read",
    ["EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t"],
  ],
  ["reading a setting", "SELECT current_setting('TimeZone')", "read", ["SELECT current_setting('TimeZone')"]],
  [
    "reading pg_settings",
    "SELECT setting FROM pg_settings WHERE name = 'work_mem'",
    "read",
    ["SELECT setting FROM pg_settings WHERE name = 'work_mem'"],
  ],
  [
    "a regproc that is not a literal",
    "SELECT oid::regproc FROM pg_proc LIMIT 1",
    "read",
    ["SELECT oid::regproc FROM pg_proc LIMIT 1"],
  ],
  [
    "256 nested parentheses",
    `SELECT ${"(".repeat(256)}1${")".repeat(256)}`,
    "read",
    [`SELECT ${"(".repeat(256)}1${")".repeat(256)}`],
  ],
  ["an UPDATE", "UPDATE t SET a = 1 WHERE b = 2", "write", ["UPDATE t SET a = 1 WHERE b = 2"]],
  [
    "an upsert",
    "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING a",
    "write",
    ["INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING a"],
  ],
  [
    "a MERGE",
    "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.a)",
    "write",
    [
      "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.a)",
    ],
  ],
  ["SET CONSTRAINTS", "SET CONSTRAINTS ALL DEFERRED", "write", ["SET CONSTRAINTS ALL DEFERRED"]],
  [
    "SET TRANSACTION ISOLATION LEVEL in a write task",
    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    "write",
    ["SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"],
  ],
  [
    "SET TRANSACTION READ ONLY, DEFERRABLE",
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE",
    "write",
    ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE"],
  ],
  [
    "sequences, advisory locks and PREPARE",
    "SELECT setval('accounts_id_seq', 1000); SELECT pg_advisory_lock(1); PREPARE p AS SELECT 1",
    "write",
    ["SELECT setval('accounts_id_seq', 1000)", "SELECT pg_advisory_lock(1)", "PREPARE p AS SELECT 1"],
  ],
  [
    "PREPARE, EXECUTE and DEALLOCATE",
    "PREPARE q(int) AS SELECT $1; EXECUTE q(1); DEALLOCATE q",
    "write",
    ["PREPARE q(int) AS SELECT $1", "EXECUTE q(1)", "DEALLOCATE q"],
  ],
  [
    "a cursor",
    "DECLARE c CURSOR FOR SELECT 1; FETCH c; CLOSE c",
    "write",
    ["DECLARE c CURSOR FOR SELECT 1", "FETCH c", "CLOSE c"],
  ],
  [
    "a foreign key with ON DELETE SET NULL",
    "CREATE TABLE t2 (a int REFERENCES t ON DELETE SET NULL)",
    "write",
    ["CREATE TABLE t2 (a int REFERENCES t ON DELETE SET NULL)"],
  ],
  [
    "a SQL function that writes",
    "CREATE FUNCTION f(n int) RETURNS int LANGUAGE sql AS $$ UPDATE t SET a = n RETURNING a $$",
    "write",
    ["CREATE FUNCTION f(n int) RETURNS int LANGUAGE sql AS $$ UPDATE t SET a = n RETURNING a $$"],
  ],
  [
    "a recursive SQL function in a '…' body, then a call",
    "CREATE FUNCTION g(n int) RETURNS int LANGUAGE sql AS 'SELECT g(n + 1)'; SELECT g(1)",
    "write",
    ["CREATE FUNCTION g(n int) RETURNS int LANGUAGE sql AS 'SELECT g(n + 1)'", "SELECT g(1)"],
  ],
  [
    "a BEGIN ATOMIC body with semicolons",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT f()",
    "write",
    [
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END",
      "SELECT f()",
    ],
  ],
  [
    "a RETURN-expression function",
    "CREATE FUNCTION add(a int, b int) RETURNS int RETURN a + b",
    "write",
    ["CREATE FUNCTION add(a int, b int) RETURNS int RETURN a + b"],
  ],
  [
    "a PL/pgSQL trigger function and its trigger",
    "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := NEW.a + 1; RETURN NEW; END $$; CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
    "write",
    [
      "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := NEW.a + 1; RETURN NEW; END $$",
      "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
    ],
  ],
  [
    "an endless PL/pgSQL loop (the engine's timeout stops it)",
    "CREATE FUNCTION spin() RETURNS int LANGUAGE plpgsql AS $$ BEGIN LOOP END LOOP; END $$; SELECT spin()",
    "write",
    [
      "CREATE FUNCTION spin() RETURNS int LANGUAGE plpgsql AS $$ BEGIN LOOP END LOOP; END $$",
      "SELECT spin()",
    ],
  ],
  [
    "a PL/pgSQL function using most statements",
    plpgsql(
      `DECLARE total int := 0; r record; i int; BEGIN
         FOR r IN SELECT * FROM accounts LOOP total := total + r.balance; END LOOP;
         FOR i IN 1..3 LOOP CONTINUE WHEN i = 2; total = total + i; END LOOP;
         IF total > 10 THEN RAISE NOTICE 'big %', total; ELSIF total < 0 THEN RAISE EXCEPTION 'negative'; END IF;
         UPDATE accounts SET balance = balance + 1 WHERE id = 1;
         GET DIAGNOSTICS i = ROW_COUNT;
         ASSERT i >= 0, 'rows';
         SELECT count(*) INTO i FROM accounts;
         RETURN total;
       EXCEPTION WHEN division_by_zero THEN RETURN -1; END`,
    ),
    "write",
    [
      plpgsql(
        `DECLARE total int := 0; r record; i int; BEGIN
         FOR r IN SELECT * FROM accounts LOOP total := total + r.balance; END LOOP;
         FOR i IN 1..3 LOOP CONTINUE WHEN i = 2; total = total + i; END LOOP;
         IF total > 10 THEN RAISE NOTICE 'big %', total; ELSIF total < 0 THEN RAISE EXCEPTION 'negative'; END IF;
         UPDATE accounts SET balance = balance + 1 WHERE id = 1;
         GET DIAGNOSTICS i = ROW_COUNT;
         ASSERT i >= 0, 'rows';
         SELECT count(*) INTO i FROM accounts;
         RETURN total;
       EXCEPTION WHEN division_by_zero THEN RETURN -1; END`,
      ),
    ],
  ],
  [
    "a PL/pgSQL function assigning to a %ROWTYPE field",
    plpgsql(
      "DECLARE r accounts%ROWTYPE; BEGIN SELECT * INTO r FROM accounts WHERE id = 1; r.balance := 0; RETURN r.id; END",
    ),
    "write",
    [
      plpgsql(
        "DECLARE r accounts%ROWTYPE; BEGIN SELECT * INTO r FROM accounts WHERE id = 1; r.balance := 0; RETURN r.id; END",
      ),
    ],
  ],
  [
    "a PL/pgSQL procedure and its CALL",
    "CREATE PROCEDURE transfer(a int, b int, amt numeric) LANGUAGE plpgsql AS $$ BEGIN UPDATE accounts SET balance = balance - amt WHERE id = a; UPDATE accounts SET balance = balance + amt WHERE id = b; END $$; CALL transfer(1, 2, 10)",
    "write",
    [
      "CREATE PROCEDURE transfer(a int, b int, amt numeric) LANGUAGE plpgsql AS $$ BEGIN UPDATE accounts SET balance = balance - amt WHERE id = a; UPDATE accounts SET balance = balance + amt WHERE id = b; END $$",
      "CALL transfer(1, 2, 10)",
    ],
  ],
  [
    "an index, then the query it serves",
    "CREATE INDEX posts_idx ON posts (author_id, created_at DESC); SELECT 1",
    "write",
    ["CREATE INDEX posts_idx ON posts (author_id, created_at DESC)", "SELECT 1"],
  ],
  [
    "a temporary table made and dropped",
    "CREATE TEMP TABLE tmp AS SELECT * FROM t; DROP TABLE tmp",
    "write",
    ["CREATE TEMP TABLE tmp AS SELECT * FROM t", "DROP TABLE tmp"],
  ],
  [
    "a view renamed",
    "CREATE VIEW v AS SELECT a FROM t; ALTER VIEW v RENAME TO w",
    "write",
    ["CREATE VIEW v AS SELECT a FROM t", "ALTER VIEW v RENAME TO w"],
  ],
  [
    "a sequence",
    "CREATE SEQUENCE s; ALTER SEQUENCE s RESTART; SELECT nextval('s')",
    "write",
    ["CREATE SEQUENCE s", "ALTER SEQUENCE s RESTART", "SELECT nextval('s')"],
  ],
  [
    "user-defined types and a domain",
    "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TYPE pair AS (a int, b int); CREATE DOMAIN pos AS int CHECK (VALUE > 0)",
    "write",
    [
      "CREATE TYPE mood AS ENUM ('sad', 'ok')",
      "CREATE TYPE pair AS (a int, b int)",
      "CREATE DOMAIN pos AS int CHECK (VALUE > 0)",
    ],
  ],
  [
    "COMMENT, TRUNCATE and LOCK",
    "COMMENT ON TABLE t IS 'x'; TRUNCATE t; LOCK TABLE t IN SHARE MODE",
    "write",
    ["COMMENT ON TABLE t IS 'x'", "TRUNCATE t", "LOCK TABLE t IN SHARE MODE"],
  ],
  [
    "ALTER TABLE with a default and a constraint",
    "ALTER TABLE t ADD COLUMN c int DEFAULT 0, ADD CONSTRAINT c_pos CHECK (c >= 0)",
    "write",
    ["ALTER TABLE t ADD COLUMN c int DEFAULT 0, ADD CONSTRAINT c_pos CHECK (c >= 0)"],
  ],
  [
    "extended statistics",
    "CREATE STATISTICS st (dependencies) ON a, b FROM t",
    "write",
    ["CREATE STATISTICS st (dependencies) ON a, b FROM t"],
  ],
  [
    "a temporary table in pg_temp",
    "CREATE TABLE pg_temp.scratch (a int)",
    "write",
    ["CREATE TABLE pg_temp.scratch (a int)"],
  ],
];

describe("postgres submission policy: correct and merely wrong answers", () => {
  it("has a large table of benign inputs", () => {
    expect(benign.length).toBeGreaterThanOrEqual(40);
  });

  it.each(benign)(
    "given %s, lets it through split exactly as the engine splits it",
    (_what, sql, mode, expected) => {
      expect(checkSubmission(sql, options(mode))).toEqual({ ok: true, statements: expected });
    },
  );
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
