/**
 * Builds a dataset from its setup text (run by the main thread, once per dataset id): a JSON object of
 * collection name → array of documents, with Extended-JSON markers ({"$date": "…"}, {"$oid": "…"},
 * {"$numberLong": "…"}) turned into Dates, strings and numbers. The setup comes from the curriculum, not
 * from learners.
 *
 * One key is not a collection (no collection name starts with "$"): "$indexes", the indexes the dataset
 * declares, by collection, in createIndex's terms:
 *
 *   "$indexes": { "articles": [{ "key": { "title": "text", "body": "text" }, "weights": { "title": 5 } }] }
 *
 * A text index (text-search.ts) is what `$text` queries need; other keys (1, -1, "hashed") are accepted
 * and change nothing, since mingo has no query planner.
 */
import type { Collections, Doc, MongoDataset } from "./protocol.js";
import { readIndexes, type TextIndexes } from "./text-index.js";

const protoNames = new Set(["__proto__", "constructor", "prototype"]);

function revive(this: unknown, key: string, value: unknown): unknown {
  if (protoNames.has(key)) throw new Error(`the field name '${key}' is not allowed`);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.length !== 1) return value;
  const [marker, inner] = entries[0] as [string, unknown];
  if (marker === "$date") {
    const date =
      typeof inner === "string" || typeof inner === "number"
        ? new Date(inner)
        : inner !== null && typeof inner === "object" && "$numberLong" in inner
          ? new Date(Number(inner.$numberLong))
          : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new Error(`invalid date ${JSON.stringify(inner)}`);
    return date;
  }
  if (marker === "$oid" && typeof inner === "string") return inner;
  if (
    (marker === "$numberLong" ||
      marker === "$numberInt" ||
      marker === "$numberDouble" ||
      marker === "$numberDecimal") &&
    typeof inner === "string"
  ) {
    return Number(inner);
  }
  return value;
}

/** Parses and checks a setup text; throws an Error with a one-line message when it is not a valid dataset. */
export function buildDataset(setup: string): MongoDataset {
  const parsed: unknown = JSON.parse(setup, revive);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("the setup must be a JSON object of collection name → array of documents");
  }
  const { $indexes: indexes, ...rest } = parsed as Record<string, unknown>;
  const collections = buildCollections(rest);
  const textIndexes: TextIndexes = {};
  if (indexes !== undefined) {
    if (indexes === null || typeof indexes !== "object" || Array.isArray(indexes)) {
      throw new Error("$indexes must be an object of collection name → array of index specifications");
    }
    for (const [name, specs] of Object.entries(indexes)) {
      if (!Object.hasOwn(collections, name))
        throw new Error(`$indexes names '${name}', which is not a collection of the dataset`);
      const text = readIndexes(name, specs);
      if (text !== undefined) textIndexes[name] = text;
    }
  }
  return { collections, textIndexes };
}

function buildCollections(parsed: Record<string, unknown>): Collections {
  const collections: Collections = {};
  for (const [name, docs] of Object.entries(parsed)) {
    if (name.startsWith("$"))
      throw new Error(`'${name}' is not a collection name (only "$indexes" may start with "$")`);
    if (!Array.isArray(docs)) throw new Error(`collection '${name}' must be an array of documents`);
    for (const doc of docs) {
      if (doc === null || typeof doc !== "object" || Array.isArray(doc) || doc instanceof Date) {
        throw new Error(`collection '${name}' holds something that is not a document`);
      }
    }
    collections[name] = docs as Doc[];
  }
  return collections;
}
