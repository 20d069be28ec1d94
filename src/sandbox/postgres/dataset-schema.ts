/** Where a dataset lives in a PostgreSQL engine: its own schema, owned by its own role. */

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** The schema a dataset lives in: readable, and distinct for distinct ids. */
export function schemaFor(datasetId: string): string {
  const slug = datasetId
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .slice(0, 40);
  return `ds_${slug}_${fnv1a(datasetId)}`;
}

/** The role that owns a dataset's schema and runs its attempts. */
export const roleFor = (datasetId: string): string => `learner_${schemaFor(datasetId)}`;
