import { expect, it } from "vitest";
import { seededRandom } from "../../seeded-random.js";
import { aggregateRows, scramble, seedWorld } from "./rebuild-world.js";
import { describeStores } from "./stores.js";

// The aggregates the store keeps answer by answer and move by move are exactly what a rebuild
// derives from the ledger alone (`npm run db:rebuild`), on either database.

describeStores("the aggregates and their rebuild from the ledger", (open) => {
  it("given answers and cohort and track moves recorded through the store, a rebuild of scrambled aggregates gives back what the store kept", async () => {
    const opened = await open();
    const world = await seedWorld(opened.store, seededRandom(29), 60);
    const kept = await aggregateRows((statement) => opened.query(statement));
    expect(kept.board_entries.length).toBeGreaterThan(10);
    expect(kept.streaks.length).toBeGreaterThan(10);
    await scramble((statement) => opened.query(statement), opened.write, world);
    expect(await aggregateRows((statement) => opened.query(statement))).not.toEqual(kept);

    await opened.rebuild();
    expect(await aggregateRows((statement) => opened.query(statement))).toEqual(kept);
  });
});
