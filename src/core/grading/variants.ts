import type { Challenge, DatasetSpec } from "../curriculum/bank.js";

/**
 * The datasets a challenge is graded on: its own (index 0, the one learners see), then one per variant.
 * A variant's setup runs after the dataset's (SQL, Redis commands); for MongoDB its collections replace
 * the dataset's collections of the same name.
 */
export function gradingDatasets(challenge: Challenge, dataset: DatasetSpec): DatasetSpec[] {
  return [
    dataset,
    ...challenge.variants.map((variant, i) => ({
      ...dataset,
      // Datasets are built and cached by id: each variant is its own.
      id: `${dataset.id}~${challenge.id}~${i + 1}`,
      setup: combine(dataset, variant.setup),
    })),
  ];
}

function combine(dataset: DatasetSpec, variant: string): string {
  switch (dataset.engine) {
    case "sqlite":
    case "postgres":
      return `${dataset.setup}\n;\n${variant}`;
    case "redis":
      return `${dataset.setup}\n${variant}`;
    case "mongodb": {
      const base = collections(dataset.setup);
      const replaced = collections(variant);
      // A setup that is not a JSON object is left for the sandbox to refuse with its own message.
      return base && replaced ? JSON.stringify({ ...base, ...replaced }) : variant;
    }
  }
}

function collections(setup: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(setup);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
