/**
 * The PostgreSQL submission policy lets correct and merely wrong answers through, split where the engine
 * splits them: blanks, semicolons, comments, strings, dollar quotes and identifiers.
 */
import { type Accepted, describeAcceptances } from "../../../test/postgres-policy.js";

const r = String.raw;

const splitting: Accepted[] = [
  ["one SELECT", "SELECT 1", "read"],
  ["surrounding blanks and a semicolon", "  SELECT 1 ;  ", "read", ["SELECT 1"]],
  ["empty statements and a trailing comment", " ;; SELECT 1 ; ; -- done\n", "read", ["SELECT 1"]],
  [
    "semicolons inside literals, comments, dollar quotes and identifiers",
    r`SELECT ';' AS a; SELECT $$;$$; /* ; /* nested ; */ ; */ SELECT E'\';' -- ;
; SELECT $t$ $$ ; $t$; SELECT "a;b" FROM t`,
    "write",
    ["SELECT ';' AS a", "SELECT $$;$$", r`SELECT E'\';' -- ;`, "SELECT $t$ $$ ; $t$", 'SELECT "a;b" FROM t'],
  ],
  ["a nested comment that hides a statement", "SELECT 1 /* /* */ ; DROP TABLE t; */", "read"],
  [
    "dangerous words inside a string",
    "SELECT * FROM t WHERE note = 'COPY t TO /tmp; pg_read_file()'",
    "read",
  ],
  ["dangerous words in a line comment", "SELECT 1 -- COPY t TO '/tmp/x'", "read"],
  [
    "a blocked call inside a nested comment",
    "SELECT /* pg_sleep(10) /* nested */ still a comment */ 1",
    "read",
  ],
  ["a DO block inside a dollar quote", "SELECT $body$ DO $$ LOOP $$ $body$", "read"],
  [
    "every kind of string constant",
    r`SELECT E'it\'s', 'it''s', U&'\0041', U&'d!0061t' UESCAPE '!', N'n', B'01', X'ff'`,
    "read",
  ],
  ["a backslash that is not before a quote", r`SELECT 'a\nb', 'C:\temp\x'`, "read"],
  ["a regular expression", r`SELECT * FROM t WHERE name ~ '^\d+$'`, "read"],
  ["string continuation over a newline", "SELECT 'x'\n'y'", "read"],
  [
    "non-ASCII text (byte offsets)",
    "SELECT 'é' AS accent; SELECT '日本'",
    "write",
    ["SELECT 'é' AS accent", "SELECT '日本'"],
  ],
  ["a quoted identifier with quotes", 'SELECT "we""ird ; name" FROM t', "read"],
];

describeAcceptances("postgres submission policy: where statements begin and end", splitting, 15);
