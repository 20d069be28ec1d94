import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/ports/logger.js";
import { WorkGate } from "../core/work-gate.js";
import { shutDown } from "./shutdown.js";

describe("shutdown", () => {
  it("given work in flight, stops intake, lets it finish, closes the queue, then releases", async () => {
    const order: string[] = [];
    const gate = new WorkGate();
    let finishWork: () => void = () => {};
    void gate.run(
      () =>
        new Promise<void>((resolve) => {
          finishWork = () => {
            order.push("work finished");
            resolve();
          };
        }),
    );
    const report = shutDown({
      stopIntake: async () => {
        order.push("intake stopped");
        setTimeout(finishWork, 20);
      },
      gate,
      closeQueue: async () => {
        order.push("queue closed");
        return 2;
      },
      release: async () => {
        order.push("released");
      },
      logger: silentLogger,
    });
    expect(await report).toEqual({ finished: true, dropped: 2 });
    expect(order).toEqual(["intake stopped", "work finished", "queue closed", "released"]);
  });

  it("given work that never ends, releases anyway before the deadline and reports it unfinished", async () => {
    const gate = new WorkGate();
    void gate.run(() => new Promise<void>(() => {}));
    let released = false;
    const started = Date.now();
    const report = await shutDown(
      {
        stopIntake: async () => {},
        gate,
        closeQueue: () => new Promise<number>(() => {}),
        release: async () => {
          released = true;
        },
        logger: silentLogger,
        deadlineMs: 1_700,
      },
      started,
    );
    expect(report.finished).toBe(false);
    // Without the deadline this never returns: the gate and the queue never settle.
    expect(released).toBe(true);
  });
});
