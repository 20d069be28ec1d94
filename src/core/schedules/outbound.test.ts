import { describe, expect, it } from "vitest";
import { OutboundQueue } from "./outbound.js";

/** A queue on a fake clock: sleeping moves time forward instead of waiting. */
function fakeQueue(ratePerSecond: number) {
  let now = 0;
  const queue = new OutboundQueue({
    ratePerSecond: { discord: ratePerSecond },
    defaultRatePerSecond: 1_000_000,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    onError: (error) => {
      throw error;
    },
  });
  return { queue, now: () => now };
}

describe("outbound queue", () => {
  it("given 500 posts at 50 per second, spreads them over about ten seconds", async () => {
    const { queue, now } = fakeQueue(50);
    const sentAt: number[] = [];
    for (let i = 0; i < 500; i++) {
      queue.enqueue({ platform: "discord", run: async () => void sentAt.push(now()) });
    }
    await queue.drain();
    expect(sentAt).toHaveLength(500);
    const seconds = (sentAt.at(-1) ?? 0) / 1000;
    expect(seconds).toBeGreaterThan(9.8);
    expect(seconds).toBeLessThan(10.6);
    // No one-second window holds more than the rate, bursts included.
    for (const start of sentAt) {
      expect(sentAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(50);
    }
  });

  it("given a limit of one per second, sends one per second, never two", async () => {
    const { queue, now } = fakeQueue(1);
    const sentAt: number[] = [];
    for (let i = 0; i < 4; i++)
      queue.enqueue({ platform: "discord", run: async () => void sentAt.push(now()) });
    await queue.drain();
    expect(sentAt.map((t) => Math.round(t / 100) / 10)).toEqual([0, 1, 2, 3]);
  });

  it("given a slow platform, another platform's posts are not held up", async () => {
    const { queue } = fakeQueue(1);
    const order: string[] = [];
    for (let i = 0; i < 3; i++)
      queue.enqueue({ platform: "discord", run: async () => void order.push("discord") });
    queue.enqueue({ platform: "terminal", run: async () => void order.push("terminal") });
    await queue.drain();
    expect(order.indexOf("terminal")).toBeLessThan(order.lastIndexOf("discord"));
  });

  it("given a job that throws, reports it and carries on with the rest", async () => {
    const errors: unknown[] = [];
    const queue = new OutboundQueue({
      ratePerSecond: {},
      defaultRatePerSecond: 1000,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      onError: (error) => errors.push(error),
    });
    let ran = 0;
    queue.enqueue({ platform: "slack", run: () => Promise.reject(new Error("boom")) });
    queue.enqueue({ platform: "slack", run: async () => void ran++ });
    await queue.drain();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(1);
  });

  it("given a close while a send is in flight, waits for that send, drops the rest and takes nothing new", async () => {
    const { queue } = fakeQueue(1000);
    let finishSlow: () => void = () => {};
    const sent: string[] = [];
    queue.enqueue({
      platform: "discord",
      run: () =>
        new Promise<void>((resolve) => {
          finishSlow = () => {
            sent.push("slow");
            resolve();
          };
        }),
    });
    for (let i = 0; i < 5; i++)
      queue.enqueue({ platform: "slack", run: async () => void sent.push("later") });
    // Let the first job start before closing.
    await new Promise((resolve) => setImmediate(resolve));
    const closing = queue.close();
    queue.enqueue({ platform: "discord", run: async () => void sent.push("after close") });
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    finishSlow();
    const dropped = await closing;
    expect(sent).toContain("slow");
    expect(sent).not.toContain("after close");
    expect(dropped + sent.filter((s) => s === "later").length).toBe(5);
    expect(queue.size).toBe(0);
  });
});
