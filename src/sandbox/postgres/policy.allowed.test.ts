/** The PostgreSQL submission policy lets through the reads, writes, definitions and functions a task may run. */
import { type Accepted, describeAcceptances, plpgsql } from "../../../test/postgres-policy.js";

const allowed: Accepted[] = [
  ["a CTE", "WITH x AS (SELECT 1) SELECT * FROM x", "read"],
  ["VALUES", "VALUES (1), (2)", "read"],
  ["TABLE", "TABLE t", "read"],
  ["a parenthesised UNION", "(SELECT 1) UNION (SELECT 2)", "read"],
  ["EXPLAIN", "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t", "read"],
  ["reading a setting", "SELECT current_setting('TimeZone')", "read"],
  ["reading pg_settings", "SELECT setting FROM pg_settings WHERE name = 'work_mem'", "read"],
  ["a regproc that is not a literal", "SELECT oid::regproc FROM pg_proc LIMIT 1", "read"],
  ["256 nested parentheses", `SELECT ${"(".repeat(256)}1${")".repeat(256)}`, "read"],
  ["an UPDATE", "UPDATE t SET a = 1 WHERE b = 2", "write"],
  ["an upsert", "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING a", "write"],
  [
    "a MERGE",
    "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.a)",
    "write",
  ],
  ["SET CONSTRAINTS", "SET CONSTRAINTS ALL DEFERRED", "write"],
  [
    "SET TRANSACTION ISOLATION LEVEL in a write task",
    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    "write",
  ],
  [
    "SET TRANSACTION READ ONLY, DEFERRABLE",
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY, DEFERRABLE",
    "write",
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
  ],
  [
    "a SQL function that writes",
    "CREATE FUNCTION f(n int) RETURNS int LANGUAGE sql AS $$ UPDATE t SET a = n RETURNING a $$",
    "write",
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
  ["a RETURN-expression function", "CREATE FUNCTION add(a int, b int) RETURNS int RETURN a + b", "write"],
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
  ],
  [
    "a PL/pgSQL function assigning to a %ROWTYPE field",
    plpgsql(
      "DECLARE r accounts%ROWTYPE; BEGIN SELECT * INTO r FROM accounts WHERE id = 1; r.balance := 0; RETURN r.id; END",
    ),
    "write",
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
  ],
  ["extended statistics", "CREATE STATISTICS st (dependencies) ON a, b FROM t", "write"],
  ["a temporary table in pg_temp", "CREATE TABLE pg_temp.scratch (a int)", "write"],
];

describeAcceptances("postgres submission policy: what a task may run", allowed, 35);
