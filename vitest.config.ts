import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
    // One PostgreSQL per run for the PostgreSQL store's tests; each test file makes its own database.
    globalSetup: ["test/postgres/global-setup.ts"],
    // Child-process and SQLite-file tests share two cores; keep them from starving each other.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
