/**
 * A parser for the mongosh-style text learners write:
 *
 *   db.<collection>.<method>(<args>)[.<method>(<args>)]*   (statements separated by `;` or newlines)
 *
 * Nothing here is ever evaluated as JavaScript. The call chain is read by hand; each argument is cut out
 * by a bracket-aware scanner, shell helpers (`ISODate("…")`, `new Date(…)`, `ObjectId("…")`, `NumberInt(…)`,
 * `/regex/flags`) are rewritten to Extended-JSON markers, and the result is handed to JSON5.parse. The parsed
 * values are then walked once to turn the markers into Dates and RegExps and to refuse what is never allowed
 * (`$where`, `$function`, `$accumulator`, `$out`, `$merge`, prototype keys, …).
 */
import JSON5 from "json5";
import { emptyText } from "../kit/preflight.js";
import { QueryError, syntaxError, where } from "./query-error.js";
import { own, revive } from "./revive.js";
import { Scanner } from "./scanner.js";

export interface Call {
  method: string;
  args: unknown[];
  /** Where the method name is in the text, for messages: "line 1, column 11". */
  at: string;
}

export interface Statement {
  collection: string;
  calls: Call[];
  pos: number;
}

/** Methods that run learner JavaScript or reach outside the dataset: refused as "blocked", not "syntax". */
const blockedMethods: Record<string, string> = {
  forEach: "cursor.forEach() runs JavaScript callbacks",
  map: "cursor.map() runs JavaScript callbacks",
  mapReduce: "mapReduce runs JavaScript functions",
  eval: "eval runs JavaScript",
  watch: "change streams are not available",
  getSiblingDB: "only the collections of this dataset can be used",
  getMongo: "only the collections of this dataset can be used",
  runCommand: "database commands are not available",
  adminCommand: "database commands are not available",
  getCollectionNames: "only queries on a collection are available",
  dropDatabase: "dropping the database is not available",
  load: "loading scripts is not available",
  print: "only one query per statement: no shell scripting",
  printjson: "only one query per statement: no shell scripting",
};

/** Parses the whole text into statements. Throws QueryError. */
export function parseProgram(text: string): Statement[] {
  const s = new Scanner(text);
  const statements: Statement[] = [];
  for (;;) {
    s.skipBlank();
    while (s.peek() === ";") {
      s.pos++;
      s.skipBlank();
    }
    if (s.eof()) break;
    statements.push(parseStatement(s));
    const newline = s.skipBlank();
    if (s.eof()) break;
    if (s.peek() === ";") {
      s.pos++;
      continue;
    }
    if (!newline)
      throw syntaxError(text, s.pos, `Unexpected '${s.peek()}': end each statement with ';' or a new line`);
  }
  if (statements.length === 0) throw new QueryError("syntax", emptyText().message);
  return statements;
}

function parseStatement(s: Scanner): Statement {
  const text = s.text;
  const start = s.pos;
  const head = s.ident();
  if (head !== "db") {
    throw syntaxError(text, start, "Expected db.<collection>.<method>(…)");
  }
  // db.a.b.find(…): every name but the last before '(' is part of the collection name.
  const names: { name: string; pos: number }[] = [];
  let collection: string | null = null;
  for (;;) {
    s.skipBlank();
    if (s.peek() === "[") {
      s.pos++;
      s.skipBlank();
      const q = s.peek();
      if (q !== '"' && q !== "'") throw syntaxError(text, s.pos, "Expected a quoted collection name");
      const at = s.pos;
      const raw = s.quoted();
      const name = JSON5.parse(raw) as string;
      s.expect("]", "']'");
      names.push({ name, pos: at });
      continue;
    }
    s.expect(".", "'.'");
    s.skipBlank();
    const pos = s.pos;
    const name = s.ident();
    if (name === null) throw syntaxError(text, pos, "Expected a name after '.'");
    s.skipBlank();
    if (s.peek() !== "(") {
      names.push({ name, pos });
      continue;
    }
    // A call: on db itself (only getCollection), or the collection's method.
    if (names.length === 0) {
      const blocked = own(blockedMethods, name);
      if (blocked !== undefined) throw new QueryError("blocked", `db.${name}() is not allowed: ${blocked}`);
      if (name !== "getCollection") {
        throw syntaxError(text, pos, `Unknown method db.${name}(): use db.<collection>.<method>(…)`);
      }
      s.pos++;
      const args = parseArgs(s, "getCollection");
      if (args.length !== 1 || typeof args[0] !== "string" || args[0] === "") {
        throw syntaxError(text, pos, "getCollection() takes one collection name");
      }
      names.push({ name: args[0], pos });
      collection = args[0];
      continue;
    }
    collection = names.map((n) => n.name).join(".");
    const blocked = own(blockedMethods, name);
    if (blocked !== undefined) throw new QueryError("blocked", `${name}() is not allowed: ${blocked}`);
    s.pos++;
    const calls: Call[] = [{ method: name, args: parseArgs(s, name), at: where(text, pos) }];
    // Chained calls, possibly on the following lines: .sort(…).limit(…)
    for (;;) {
      const save = s.pos;
      s.skipBlank();
      if (s.peek() !== ".") {
        s.pos = save;
        break;
      }
      s.pos++;
      s.skipBlank();
      const mpos = s.pos;
      const method = s.ident();
      if (method === null) throw syntaxError(text, mpos, "Expected a method name after '.'");
      const b = own(blockedMethods, method);
      if (b !== undefined) throw new QueryError("blocked", `${method}() is not allowed: ${b}`);
      s.expect("(", `'(' after .${method}`);
      calls.push({ method, args: parseArgs(s, method), at: where(text, mpos) });
    }
    if (collection === "") throw syntaxError(text, start, "Empty collection name");
    return { collection, calls, pos: start };
  }
}

function parseArgs(s: Scanner, method: string): unknown[] {
  const texts = s.args();
  return texts.map((arg, i) => {
    let value: unknown;
    try {
      value = JSON5.parse(arg.out);
    } catch (err) {
      const e = err as { lineNumber?: number; columnNumber?: number; message?: string };
      let offset = arg.start;
      if (typeof e.lineNumber === "number" && typeof e.columnNumber === "number") {
        const lines = arg.out.split("\n");
        let o = 0;
        for (let l = 0; l < e.lineNumber - 1; l++) o += (lines[l]?.length ?? 0) + 1;
        o += e.columnNumber - 1;
        offset = arg.map[Math.min(o, arg.map.length - 1)] ?? arg.start;
      }
      const detail = (e.message ?? "invalid value").replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
      throw syntaxError(s.text, offset, `Argument ${i + 1} of ${method}(): ${detail}`);
    }
    return revive(value);
  });
}
