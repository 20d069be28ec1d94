import type { TestProject } from "vitest/node";
import { startTestPostgres, stopOrphanedServers } from "./embedded-server.js";

declare module "vitest" {
  interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL; test files make their own databases with it (database.ts). */
    postgresAdminUrl: string;
  }
}

/** One PostgreSQL for the whole test run, started before any test file and stopped after the last. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const line of await stopOrphanedServers()) console.warn(line);
  const server = await startTestPostgres();
  project.provide("postgresAdminUrl", server.adminUrl);
  return () => server.stop();
}
