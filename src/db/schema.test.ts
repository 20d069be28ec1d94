import { describe, it } from "vitest";
import { expectNothingLeftToGenerate } from "../../test/drizzle-kit.js";
import { migrationsDir } from "../paths.js";

describe("schema and migrations", () => {
  it("given the committed migrations, drizzle-kit finds nothing left to generate from the schema", () => {
    expectNothingLeftToGenerate("sqlite", "src/db/schema.ts", migrationsDir);
  });
});
