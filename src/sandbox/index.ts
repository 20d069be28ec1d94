import type { Engine, RunOutcome, Sandbox } from "../core/sandbox.js";

/**
 * A sandbox that starts its engine on first use (PGlite alone takes seconds), and
 * reports "unavailable" rather than throwing if it cannot start.
 */
export function lazySandbox(engine: Engine, create: () => Promise<Sandbox>): Sandbox {
  let instance: Promise<Sandbox> | undefined;
  return {
    engine,
    async run(request, limits): Promise<RunOutcome> {
      instance ??= create();
      let sandbox: Sandbox;
      try {
        sandbox = await instance;
      } catch (error) {
        instance = undefined;
        return { ok: false, reason: "unavailable", message: (error as Error).message, elapsedMs: 0 };
      }
      return sandbox.run(request, limits);
    },
    async close() {
      const started = instance;
      instance = undefined;
      if (started) await (await started.catch(() => undefined))?.close();
    },
  };
}

/** One sandbox per engine, each started when first asked to run something. */
export function createSandboxes(): Record<Engine, Sandbox> {
  return {
    sqlite: lazySandbox("sqlite", async () => (await import("./sqlite/index.js")).createSqliteSandbox()),
    postgres: lazySandbox("postgres", async () =>
      (await import("./postgres/index.js")).createPostgresSandbox(),
    ),
    mongodb: lazySandbox("mongodb", async () => (await import("./mongodb/index.js")).createMongodbSandbox()),
    redis: lazySandbox("redis", async () => (await import("./redis/index.js")).createRedisSandbox()),
  };
}

export async function closeSandboxes(sandboxes: Record<Engine, Sandbox>): Promise<void> {
  await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.close()));
}
