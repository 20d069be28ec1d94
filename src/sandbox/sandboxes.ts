import type { Engine, Sandbox } from "../core/sandbox.js";
import { createMongodbSandbox } from "./mongodb/sandbox.js";
import { type PoolOptions, SandboxPool } from "./pool/pool.js";
import { createPostgresSandbox, type PostgresSandboxOptions } from "./postgres/sandbox.js";
import { createRedisSandbox } from "./redis/sandbox.js";
import { createSqliteSandbox } from "./sqlite/sandbox.js";

export interface Sandboxes extends Record<Engine, Sandbox> {}

export interface SandboxesOptions extends PoolOptions {
  /** Attempts that may wait, per engine (default 64). */
  queueCapacity?: number;
  /** What the PostgreSQL engine trades memory for: a started spare, optimized code (both off by default). */
  postgres?: Pick<PostgresSandboxOptions, "spare" | "optimize">;
}

const pools = new WeakMap<Sandboxes, SandboxPool>();

/**
 * One sandbox per engine, all served by one child-process pool (pool/pool.ts). Engine children
 * start on first use; nothing of an engine is loaded in the bot's own process.
 */
export function createSandboxes(options: SandboxesOptions = {}): Sandboxes {
  const { queueCapacity = 64, postgres = {}, ...poolOptions } = options;
  const pool = new SandboxPool(poolOptions);
  const sandboxes: Sandboxes = {
    sqlite: createSqliteSandbox({ pool, queueCapacity }),
    postgres: createPostgresSandbox({ pool, queueCapacity, ...postgres }),
    mongodb: createMongodbSandbox({ pool, queueCapacity, warm: false }),
    redis: createRedisSandbox({ pool, queueCapacity }),
  };
  pools.set(sandboxes, pool);
  return sandboxes;
}

/** Stops every engine child (each lane's attempts are answered "unavailable"). */
export async function closeSandboxes(sandboxes: Record<Engine, Sandbox>): Promise<void> {
  await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.close()));
  await pools.get(sandboxes as Sandboxes)?.close();
}
