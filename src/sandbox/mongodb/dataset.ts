/**
 * Builds a dataset from its setup text (run by the main thread, once per dataset id): a JSON object of
 * collection name → array of documents, with Extended-JSON markers ({"$date": "…"}, {"$oid": "…"},
 * {"$numberLong": "…"}) turned into Dates, strings and numbers. The setup comes from the curriculum, not
 * from learners.
 */
import type { Collections, Doc } from "./protocol.js";

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
export function buildCollections(setup: string): Collections {
  const parsed: unknown = JSON.parse(setup, revive);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("the setup must be a JSON object of collection name → array of documents");
  }
  const collections: Collections = {};
  for (const [name, docs] of Object.entries(parsed)) {
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
