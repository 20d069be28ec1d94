import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Child-process and SQLite-file tests share two cores; keep them from starving each other.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
