import { describe, expect, it } from "vitest";
import { FairQueue } from "./fair-queue.js";

describe("the fair queue of an engine", () => {
  it("given a learner with an attempt in, answers pending to their second one at once", () => {
    const queue = new FairQueue<string>(10);
    expect(queue.offer("ana", "a1")).toBe("queued");
    expect(queue.offer("ana", "a2")).toBe("pending");
    expect(queue.take()).toBe("a1");
    // Still running: the learner is held until released.
    expect(queue.offer("ana", "a3")).toBe("pending");
    queue.release("ana");
    expect(queue.offer("ana", "a4")).toBe("queued");
  });

  it("given several keys waiting, serves them round-robin", () => {
    const queue = new FairQueue<string>(10);
    for (const item of ["own1", "own2", "own3"]) queue.offer(undefined, item);
    queue.offer("ana", "ana1");
    queue.offer("bo", "bo1");
    expect([queue.take(), queue.take(), queue.take(), queue.take(), queue.take()]).toEqual([
      "own1",
      "ana1",
      "bo1",
      "own2",
      "own3",
    ]);
    expect(queue.take()).toBeUndefined();
  });

  it("given a full line, answers busy and keeps what it has", () => {
    const queue = new FairQueue<number>(2);
    expect(queue.offer(undefined, 1)).toBe("queued");
    expect(queue.offer("ana", 2)).toBe("queued");
    expect(queue.offer("bo", 3)).toBe("busy");
    // A refused learner holds nothing: once there is room they get in.
    queue.take();
    expect(queue.offer("bo", 4)).toBe("queued");
    expect(queue.length).toBe(2);
  });

  it("given a drain on close, hands back everything and forgets who was waiting", () => {
    const queue = new FairQueue<number>(5);
    queue.offer("ana", 1);
    queue.offer(undefined, 2);
    expect(queue.drain().sort()).toEqual([1, 2]);
    expect(queue.offer("ana", 3)).toBe("queued");
  });
});
