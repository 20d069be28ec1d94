import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { residentMb } from "../../../test/process-memory.js";
import { type Dataset, defaultLimits, type Limits } from "../../core/sandbox.js";
import { processLimitMb } from "../pool/limits.js";
import { createPostgresSandbox, type PostgresSandboxHandle } from "./sandbox.js";
import { spareFits } from "./spare.js";

const ledger: Dataset = {
  id: "memory-ledger",
  engine: "postgres",
  setup: "CREATE TABLE entries (id int PRIMARY KEY, note text); INSERT INTO entries VALUES (1, 'first')",
};
const limits: Limits = { ...defaultLimits, timeMs: 30_000 };
const MiB = 1024 * 1024;

describe("the PostgreSQL engine's memory, by default", () => {
  let sandbox: PostgresSandboxHandle;

  beforeAll(async () => {
    sandbox = createPostgresSandbox();
    await sandbox.warm({ spare: true });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it("given the defaults, one engine process serves the attempts, with no spare even when one is asked to warm", async () => {
    const outcome = await sandbox.run(
      { dataset: ledger, query: "SELECT count(*) FROM entries", allowWrites: false },
      limits,
    );
    expect(outcome).toMatchObject({ ok: true, result: { rows: [[1]] } });
    expect(sandbox.pids()).toHaveLength(1);
  });

  it.runIf(process.platform === "linux")(
    "given many rolled-back writes, the WAL and the dead rows they left are freed: the engine process does not grow with them",
    async () => {
      const insert =
        "INSERT INTO entries SELECT g, md5(g::text) FROM generate_series(2, 50001) g; SELECT count(*) FROM entries";
      const first = await sandbox.run({ dataset: ledger, query: insert, allowWrites: true }, limits);
      expect(first).toMatchObject({ ok: true, result: { rows: [[50_001]] } });
      const [pid] = sandbox.pids();
      const before = residentMb(pid ?? 0);
      // Each attempt leaves about 4.6 MB of WAL and 3.4 MB of dead rows, were none of it freed
      // (measured with the WAL freed but not the dead rows: the process grew by 69 MB).
      for (let i = 0; i < 20; i++) {
        const outcome = await sandbox.run({ dataset: ledger, query: insert, allowWrites: true }, limits);
        expect(outcome.ok, JSON.stringify(outcome).slice(0, 200)).toBe(true);
      }
      expect(sandbox.pids()).toEqual([pid]);
      expect(residentMb(pid ?? 0) - before).toBeLessThan(32);
    },
    120_000,
  );
});

describe("the PostgreSQL spare", () => {
  it("given spare on, a second engine stays started beside the one serving", async () => {
    const spared = createPostgresSandbox({ spare: true });
    try {
      await spared.warm({ spare: true });
      const outcome = await spared.run({ dataset: ledger, query: "SELECT 1", allowWrites: false }, limits);
      expect(outcome.ok).toBe(true);
      expect(spared.pids()).toHaveLength(2);
    } finally {
      await spared.close();
    }
  });

  it("given spare auto, a spare fits only while available memory holds two engine processes at their limit", () => {
    const twoAtLimit = 2 * processLimitMb("postgres", 256) * MiB;
    expect(spareFits(256, twoAtLimit)).toBe(true);
    expect(spareFits(256, twoAtLimit - MiB)).toBe(false);
    expect(spareFits(1024, twoAtLimit)).toBe(false);
  });
});
