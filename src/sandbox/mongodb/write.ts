/** The write methods (insert, update, replace, delete) on one attempt's copy of a collection. */
import { ProcessingMode } from "mingo/core";
import { Query } from "mingo/query";
import type { AnyObject, Options } from "mingo/types";
import { updateMany, updateOne } from "mingo/updater";
import { canonicalJson } from "../kit/cells.js";
import { argCount, callError, isPlainObject, objectArg } from "./arguments.js";
import { newObjectId } from "./object-id.js";
import { checkUpdateNames, RuntimeError } from "./operators.js";
import type { Call, Statement } from "./parse.js";
import type { Doc } from "./protocol.js";
import { QueryError } from "./query-error.js";
import { type AttemptState, mingoOptions } from "./state.js";
import { filterMentionsText } from "./text-search.js";

/** What a statement produces: documents (read lazily where mingo allows) or a count. */
export type Output = { docs: Iterable<unknown> } | { count: number };

function writeOptions(state: AttemptState): Partial<Options> {
  return mingoOptions(state, ProcessingMode.CLONE_OFF);
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
      throw callError(call, "an update pipeline must be an array of single-stage objects");
    }
    return update as AnyObject[];
  }
  if (!isPlainObject(update) || Object.keys(update).length === 0) {
    throw callError(call, "the update must be a non-empty object such as { $set: { … } }");
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

export function executeWrite(statement: Statement, call: Call, state: AttemptState): Output {
  if (!call.method.startsWith("insert") && filterMentionsText(call.args[0])) {
    throw new RuntimeError(
      "$text is available here in reads only: find, findOne, countDocuments, distinct and the first $match of aggregate",
    );
  }
  const name = statement.collection;
  const docs = state.collection(name);
  const opts = writeOptions(state);
  switch (call.method) {
    case "insertOne": {
      argCount(call, 1, 2);
      const doc = call.args[0];
      if (!isPlainObject(doc)) throw callError(call, "the document must be an object");
      const insertedId = insertChecked(name, docs, doc);
      return { docs: [{ acknowledged: true, insertedId }] };
    }
    case "insertMany": {
      argCount(call, 1, 2);
      const list = call.args[0];
      if (!Array.isArray(list) || list.length === 0 || !list.every(isPlainObject)) {
        throw callError(call, "takes a non-empty array of documents");
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
      if (!isPlainObject(replacement)) throw callError(call, "the replacement must be an object");
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
