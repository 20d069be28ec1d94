/**
 * Runs parsed statements with mingo on one attempt's copy of the collections, and shapes the result.
 * Runs inside the worker only.
 */
import { Aggregator } from "mingo/aggregator";
import { ProcessingMode } from "mingo/core";
import { Query } from "mingo/query";
import type { AnyObject, Options } from "mingo/types";
import { updateMany, updateOne } from "mingo/updater";
import { checkFieldName, checkStageNames, checkUpdateNames, RuntimeError, safeContext } from "./operators.js";
import { type Call, newObjectId, QueryError, type Statement } from "./parse.js";
import type { Cell, Doc, WorkerOutcome } from "./protocol.js";

export { RuntimeError };

/** The collections one attempt sees: cloned from the cached dataset the first time each is touched. */
export class AttemptState {
  readonly #base: ReadonlyMap<string, readonly Doc[]>;
  readonly #copies = new Map<string, Doc[]>();

  constructor(base: ReadonlyMap<string, readonly Doc[]>) {
    this.#base = base;
  }

  collection(name: string): Doc[] {
    let docs = this.#copies.get(name);
    if (docs === undefined) {
      const base = this.#base.get(name);
      docs = base === undefined ? [] : structuredClone(base as Doc[]);
      this.#copies.set(name, docs);
    }
    return docs;
  }
}

function options(state: AttemptState, processingMode: ProcessingMode): Partial<Options> {
  return {
    context: safeContext,
    // No custom script operators ($where, $function, $accumulator) even if one slipped past the checks.
    scriptEnabled: false,
    useStrictMode: true,
    failOnError: true,
    processingMode,
    // $lookup, $graphLookup and $unionWith see this attempt's copies; unknown names are empty.
    collectionResolver: (name: string) => state.collection(name),
  };
}

export interface Limits {
  maxRows: number;
  maxResultBytes: number;
}

export const writeMethods = new Set([
  "insertOne",
  "insertMany",
  "updateOne",
  "updateMany",
  "replaceOne",
  "deleteOne",
  "deleteMany",
]);

const readMethods = new Set([
  "find",
  "findOne",
  "aggregate",
  "countDocuments",
  "count",
  "estimatedDocumentCount",
  "distinct",
]);

/** Chained calls allowed after each collection method. */
const cursorMethods: Record<string, Set<string>> = {
  find: new Set(["sort", "skip", "limit", "toArray", "pretty", "count", "itcount", "explain"]),
  aggregate: new Set(["toArray", "pretty", "explain"]),
};

export function isWrite(statement: Statement): boolean {
  return statement.calls.some((c) => writeMethods.has(c.method));
}

/** mingo's lazy iterator as a JavaScript iterable, so only the rows kept are computed where possible. */
function* lazy(it: { next(): { value?: unknown; done: boolean } }): Generator<unknown> {
  for (;;) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

type Output = { docs: Iterable<unknown> } | { count: number };

function fail(call: Call, message: string): QueryError {
  return new QueryError("syntax", `${call.method}(): ${message} at ${call.at}`);
}

function argCount(call: Call, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw fail(call, `takes ${want} argument${max === 1 ? "" : "s"}, got ${call.args.length}`);
  }
}

function isPlainObject(v: unknown): v is AnyObject {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
  );
}

function objectArg(call: Call, index: number, what: string): AnyObject {
  const v = call.args[index];
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) throw fail(call, `${what} must be an object`);
  return v;
}

function intArg(call: Call, what: string): number {
  argCount(call, 1, 1);
  const v = call.args[0];
  if (typeof v !== "number" || !Number.isInteger(v)) throw fail(call, `${what} must be an integer`);
  return v;
}

function sortSpec(call: Call): AnyObject {
  argCount(call, 1, 1);
  const spec = objectArg(call, 0, "the sort specification");
  for (const [key, dir] of Object.entries(spec)) {
    if (dir !== 1 && dir !== -1 && !isPlainObject(dir)) {
      throw fail(call, `sort direction for '${key}' must be 1 or -1`);
    }
  }
  return spec;
}

/** A find() with its cursor calls, as the equivalent pipeline (mingo's cursor applies the same order). */
function findPipeline(statement: Statement): { pipeline: AnyObject[]; terminal: "count" | null } {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  argCount(first, 0, 2);
  const filter = objectArg(first, 0, "the filter");
  const projection = objectArg(first, 1, "the projection");
  let sort: AnyObject | null = null;
  let skip = 0;
  let limit = 0;
  let terminal: "count" | null = null;
  for (const call of rest) {
    if (terminal !== null) throw fail(call, "cannot follow count()");
    switch (call.method) {
      case "sort":
        sort = sortSpec(call);
        break;
      case "skip":
        skip = intArg(call, "skip");
        if (skip < 0) throw fail(call, "skip must not be negative");
        break;
      case "limit":
        limit = Math.abs(intArg(call, "limit"));
        break;
      case "count":
      case "itcount":
        argCount(call, 0, 1);
        terminal = "count";
        break;
      case "explain":
        argCount(call, 0, 1);
        break;
      default:
        argCount(call, 0, 0);
    }
  }
  const pipeline: AnyObject[] = [{ $match: filter }];
  if (sort !== null && Object.keys(sort).length > 0) pipeline.push({ $sort: sort });
  if (skip > 0) pipeline.push({ $skip: skip });
  if (limit > 0) pipeline.push({ $limit: limit });
  if (Object.keys(projection).length > 0) pipeline.push({ $project: projection });
  return { pipeline, terminal };
}

function aggregatePipeline(statement: Statement): AnyObject[] {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  argCount(first, 1, 2);
  const pipeline = first.args[0];
  if (!Array.isArray(pipeline)) throw fail(first, "the pipeline must be an array of stages");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw fail(first, "each stage must be an object with exactly one $stage key");
    }
  }
  for (const call of rest) argCount(call, 0, call.method === "explain" ? 1 : 0);
  checkStageNames(pipeline);
  return pipeline as AnyObject[];
}

/** Checks the method chain of a statement without running it (so nothing runs if a later one is wrong). */
export function validate(statement: Statement): void {
  const [first, ...rest] = statement.calls as [Call, ...Call[]];
  const method = first.method;
  if (!readMethods.has(method) && !writeMethods.has(method)) {
    throw new QueryError("syntax", `Unknown method ${method}() on db.${statement.collection} at ${first.at}`);
  }
  const allowed = cursorMethods[method];
  rest.forEach((call, i) => {
    if (call.method === "explain" && i !== rest.length - 1) {
      throw new QueryError("syntax", `.explain() must come last at ${call.at}`);
    }
    if (allowed === undefined || !allowed.has(call.method)) {
      throw new QueryError("syntax", `.${call.method}() cannot follow ${method}() at ${call.at}`);
    }
  });
  if (method === "find") findPipeline(statement);
  if (method === "aggregate") aggregatePipeline(statement);
}

/** Runs one statement; returns what it produces. */
export function execute(statement: Statement, state: AttemptState): Output {
  const [first] = statement.calls as [Call, ...Call[]];
  if (statement.calls.length > 1 && statement.calls.at(-1)?.method === "explain") {
    // cursor.explain(): the plan as the result, one line per row; nothing runs.
    const inner = { ...statement, calls: statement.calls.slice(0, -1) };
    return { docs: describe([inner]).map((plan) => ({ plan })) };
  }
  const docs = () => state.collection(statement.collection);
  const readOpts = () => options(state, ProcessingMode.CLONE_INPUT);
  switch (first.method) {
    case "find": {
      const { pipeline, terminal } = findPipeline(statement);
      const it = new Aggregator(pipeline, readOpts()).stream(docs());
      if (terminal === "count") return { count: it.size() };
      return { docs: lazy(it) };
    }
    case "findOne": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }, { $limit: 1 }];
      const projection = objectArg(first, 1, "the projection");
      if (Object.keys(projection).length > 0) pipeline.push({ $project: projection });
      return { docs: new Aggregator(pipeline, readOpts()).run(docs()) };
    }
    case "aggregate":
      return { docs: lazy(new Aggregator(aggregatePipeline(statement), readOpts()).stream(docs())) };
    case "countDocuments":
    case "count": {
      argCount(first, 0, 2);
      const pipeline: AnyObject[] = [{ $match: objectArg(first, 0, "the filter") }];
      const opts = objectArg(first, 1, "the options");
      if (typeof opts.skip === "number" && opts.skip > 0) pipeline.push({ $skip: opts.skip });
      if (typeof opts.limit === "number" && opts.limit > 0) pipeline.push({ $limit: opts.limit });
      return { count: new Aggregator(pipeline, readOpts()).stream(docs()).size() };
    }
    case "estimatedDocumentCount":
      argCount(first, 0, 1);
      return { count: docs().length };
    case "distinct": {
      argCount(first, 1, 2);
      const field = first.args[0];
      if (typeof field !== "string" || field === "" || field.startsWith("$")) {
        throw fail(first, "the field must be a name such as 'status'");
      }
      checkFieldName(field);
      const filter = objectArg(first, 1, "the filter");
      const pipeline = [
        { $match: filter },
        { $unwind: { path: `$${field}` } },
        { $group: { _id: `$${field}` } },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, value: "$_id" } },
      ];
      return { docs: new Aggregator(pipeline, readOpts()).run(docs()) };
    }
    default:
      return executeWrite(statement, first, state);
  }
}

function writeOptions(state: AttemptState): Partial<Options> {
  return options(state, ProcessingMode.CLONE_OFF);
}

function ensureId(doc: AnyObject): AnyObject {
  if (doc._id !== undefined) return doc;
  return { _id: newObjectId(), ...doc };
}

/** Inserts a copy of the document, refusing a duplicate _id. `ids` holds the collection's ids as canonical JSON. */
function insertChecked(collection: string, docs: Doc[], doc: AnyObject, ids = idSet(docs)): unknown {
  const withId = ensureId(structuredClone(doc));
  const key = canonicalJson(withId._id);
  if (ids.has(key)) {
    throw new RuntimeError(
      `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${key} }`,
    );
  }
  docs.push(withId);
  ids.add(key);
  return withId._id;
}

function idSet(docs: Doc[]): Set<string> {
  return new Set(docs.map((d) => canonicalJson(d._id)));
}

function checkUpdate(call: Call, update: unknown): AnyObject | AnyObject[] {
  checkUpdateNames(update);
  if (Array.isArray(update)) {
    if (update.some((s) => !isPlainObject(s) || Object.keys(s).length !== 1)) {
      throw fail(call, "an update pipeline must be an array of single-stage objects");
    }
    return update as AnyObject[];
  }
  if (!isPlainObject(update) || Object.keys(update).length === 0) {
    throw fail(call, "the update must be a non-empty object such as { $set: { … } }");
  }
  if (Object.keys(update).some((k) => !k.startsWith("$"))) {
    throw new RuntimeError(
      "Update document requires atomic operators (such as $set); use replaceOne to replace",
    );
  }
  return update;
}

/** The fields an upsert starts from: the filter's top-level equalities. */
function seedFromFilter(filter: AnyObject): AnyObject {
  const seed: AnyObject = {};
  const add = (f: AnyObject) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === "$and" && Array.isArray(v)) {
        for (const part of v) if (isPlainObject(part)) add(part);
      } else if (!k.startsWith("$") && !k.includes(".")) {
        if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith("$"))) {
          if ("$eq" in v) seed[k] = v.$eq;
        } else seed[k] = v;
      }
    }
  };
  add(filter);
  return seed;
}

function executeWrite(statement: Statement, call: Call, state: AttemptState): Output {
  const name = statement.collection;
  const docs = state.collection(name);
  const opts = writeOptions(state);
  switch (call.method) {
    case "insertOne": {
      argCount(call, 1, 2);
      const doc = call.args[0];
      if (!isPlainObject(doc)) throw fail(call, "the document must be an object");
      const insertedId = insertChecked(name, docs, doc);
      return { docs: [{ acknowledged: true, insertedId }] };
    }
    case "insertMany": {
      argCount(call, 1, 2);
      const list = call.args[0];
      if (!Array.isArray(list) || list.length === 0 || !list.every(isPlainObject)) {
        throw fail(call, "takes a non-empty array of documents");
      }
      const ids = idSet(docs);
      const insertedIds = list.map((d) => insertChecked(name, docs, d, ids));
      return { docs: [{ acknowledged: true, insertedIds }] };
    }
    case "updateOne":
    case "updateMany": {
      argCount(call, 2, 3);
      const filter = objectArg(call, 0, "the filter");
      const update = checkUpdate(call, call.args[1]);
      const config = objectArg(call, 2, "the options");
      const arrayFilters = Array.isArray(config.arrayFilters)
        ? (config.arrayFilters as AnyObject[])
        : undefined;
      const updateConfig = {
        cloneMode: "deep" as const,
        ...(arrayFilters ? { arrayFilters } : {}),
        ...(isPlainObject(config.sort) && call.method === "updateOne"
          ? { sort: config.sort as Record<string, 1 | -1> }
          : {}),
      };
      const fn = call.method === "updateOne" ? updateOne : updateMany;
      // biome-ignore lint/suspicious/noExplicitAny: mingo's Modifier type is keyed by the document's own paths.
      const res = fn(docs, filter, update as any, updateConfig, opts);
      let upsertedId: unknown = null;
      if (res.matchedCount === 0 && config.upsert === true) {
        const seeded: AnyObject[] = [structuredClone(seedFromFilter(filter))];
        // biome-ignore lint/suspicious/noExplicitAny: as above.
        updateOne(seeded, {}, update as any, updateConfig, opts);
        upsertedId = insertChecked(name, docs, seeded[0] ?? {});
      }
      return {
        docs: [
          {
            acknowledged: true,
            matchedCount: res.matchedCount,
            modifiedCount: res.modifiedCount,
            upsertedCount: upsertedId === null ? 0 : 1,
            upsertedId,
          },
        ],
      };
    }
    case "replaceOne": {
      argCount(call, 2, 3);
      const filter = objectArg(call, 0, "the filter");
      const replacement = call.args[1];
      if (!isPlainObject(replacement)) throw fail(call, "the replacement must be an object");
      if (Object.keys(replacement).some((k) => k.startsWith("$"))) {
        throw new RuntimeError("The replacement document must not contain update operators");
      }
      const config = objectArg(call, 2, "the options");
      const query = new Query(filter, opts);
      const index = docs.findIndex((d) => query.test(d));
      let upsertedId: unknown = null;
      const old = docs[index];
      if (old !== undefined) {
        const { _id: newId, ...fields } = structuredClone(replacement);
        if (newId !== undefined && canonicalJson(newId) !== canonicalJson(old._id)) {
          throw new RuntimeError(
            "After applying the update, the (immutable) field '_id' was found to have been altered",
          );
        }
        docs[index] = old._id === undefined ? fields : { _id: old._id, ...fields };
      } else if (config.upsert === true) {
        upsertedId = insertChecked(name, docs, { ...seedFromFilter(filter), ...replacement });
      }
      return {
        docs: [
          {
            acknowledged: true,
            matchedCount: index >= 0 ? 1 : 0,
            modifiedCount: index >= 0 ? 1 : 0,
            upsertedCount: upsertedId === null ? 0 : 1,
            upsertedId,
          },
        ],
      };
    }
    case "deleteOne":
    case "deleteMany": {
      argCount(call, 1, 2);
      const query = new Query(objectArg(call, 0, "the filter"), opts);
      let deletedCount = 0;
      if (call.method === "deleteOne") {
        const index = docs.findIndex((d) => query.test(d));
        if (index >= 0) {
          docs.splice(index, 1);
          deletedCount = 1;
        }
      } else {
        const keep = docs.filter((d) => !query.test(d));
        deletedCount = docs.length - keep.length;
        docs.splice(0, docs.length, ...keep);
      }
      return { docs: [{ acknowledged: true, deletedCount }] };
    }
    default:
      throw new QueryError("syntax", `Unknown method ${call.method}() at ${call.at}`);
  }
}

/** Canonical JSON: object keys sorted, Dates as ISO strings, RegExps as /…/flags, bigints as numbers or text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? "null";
}

function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof RegExp) return value.toString();
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  if (typeof value === "function" || typeof value === "symbol") return null;
  return value;
}

export function toCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof RegExp) return value.toString();
  if (typeof value === "object") return canonicalJson(value);
  return null;
}

/** Documents → columns (union of top-level keys, first seen, `_id` first) and rows, capped. */
export function shape(output: Output, limits: Limits): WorkerOutcome {
  if ("count" in output) {
    return { ok: true, result: { columns: ["count"], rows: [[output.count]] }, truncated: false, plan: null };
  }
  // Each document becomes its cells as it arrives, so an oversized result is refused before it is all built.
  const docs: Map<string, Cell>[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  let truncated = false;
  let bytes = 0;
  for (const doc of output.docs) {
    if (docs.length >= limits.maxRows) {
      truncated = true;
      break;
    }
    const cells = new Map<string, Cell>();
    for (const [key, value] of Object.entries(isPlainObject(doc) ? doc : { value: doc })) {
      const cell = toCell(value);
      bytes += typeof cell === "string" ? cell.length + key.length : 8 + key.length;
      cells.set(key, cell);
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    if (bytes > limits.maxResultBytes) {
      return {
        ok: false,
        reason: "too-large",
        message: `The result is larger than ${Math.round(limits.maxResultBytes / 1024)} KiB: project fewer fields or limit the rows`,
      };
    }
    docs.push(cells);
  }
  if (seen.has("_id")) {
    columns.splice(columns.indexOf("_id"), 1);
    columns.unshift("_id");
  }
  const rows = docs.map((cells) => columns.map((c) => cells.get(c) ?? null));
  return { ok: true, result: { columns, rows }, truncated, plan: null };
}

/**
 * The "plan" for explain. mingo has no query planner and no indexes: every stage scans the documents it is
 * given, in the order written. So the plan is a description of the parsed stages, in MongoDB's words
 * (COLLSCAN, FILTER, SORT, …), not the output of an optimiser.
 */
export function describe(statements: Statement[]): string[] {
  const lines = ["mingo (in memory): no query planner or indexes; the stages below run in the order shown"];
  statements.forEach((statement, i) => {
    const prefix = statements.length > 1 ? `[${i + 1}] ` : "";
    for (const line of describeOne(statement)) lines.push(prefix + line);
  });
  return lines;
}

function describeOne(statement: Statement): string[] {
  const [first] = statement.calls as [Call, ...Call[]];
  const lines = [`COLLSCAN ${statement.collection}`];
  const stage = (s: AnyObject) => {
    const [op, spec] = Object.entries(s)[0] ?? ["?", null];
    if (op === "$match" && isPlainObject(spec) && Object.keys(spec).length === 0) return;
    const name = op.replace(/^\$/, "");
    const label =
      op === "$match"
        ? "FILTER"
        : op === "$project"
          ? "PROJECTION"
          : name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
    lines.push(`${label} ${render(spec)}`);
  };
  switch (first.method) {
    case "find": {
      const { pipeline, terminal } = findPipeline(statement);
      for (const s of pipeline) stage(s);
      if (terminal) lines.push("COUNT");
      break;
    }
    case "aggregate":
      for (const s of aggregatePipeline(statement)) stage(s);
      break;
    case "findOne":
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push("LIMIT 1");
      break;
    case "countDocuments":
    case "count":
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push("COUNT");
      break;
    case "estimatedDocumentCount":
      lines[0] = `COUNT ${statement.collection} (no scan)`;
      break;
    case "distinct":
      stage({ $match: objectArg(first, 1, "the filter") });
      lines.push(`DISTINCT ${render(first.args[0])}`);
      break;
    case "insertOne":
    case "insertMany":
      lines[0] = `INSERT ${statement.collection}`;
      break;
    default:
      stage({ $match: objectArg(first, 0, "the filter") });
      lines.push(
        `${first.method.replace(/(One|Many)$/, "").toUpperCase()} ${first.method.endsWith("Many") ? "all matches" : "first match"}`,
      );
  }
  return lines;
}

/** A compact, shell-like rendering of a value for plan lines: {total: -1}. */
export function render(value: unknown, budget = 200): string {
  const s = renderValue(value);
  return s.length > budget ? `${s.slice(0, budget - 1)}…` : s;
}

function renderValue(value: unknown): string {
  if (value instanceof Date) return `ISODate(${JSON.stringify(value.toISOString())})`;
  if (value instanceof RegExp) return value.toString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k)}: ${renderValue(v)}`,
    );
    return `{${parts.join(", ")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
