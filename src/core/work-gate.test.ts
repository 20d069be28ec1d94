import { describe, expect, it } from "vitest";
import { WorkGate } from "./work-gate.js";

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("work gate", () => {
  it("given work in flight, closing waits for it and then reports done", async () => {
    const gate = new WorkGate();
    const work = deferred();
    const running = gate.run(() => work.promise.then(() => "stored"));
    expect(gate.inFlight).toBe(1);
    let closed: boolean | undefined;
    const closing = gate.close(5_000).then((done) => {
      closed = done;
    });
    await Promise.resolve();
    expect(closed).toBeUndefined();
    work.resolve();
    expect(await running).toBe("stored");
    await closing;
    expect(closed).toBe(true);
  });

  it("given a closed gate, new work is turned away without running", async () => {
    const gate = new WorkGate();
    await gate.close(10);
    let ran = false;
    const result = await gate.run(async () => {
      ran = true;
    });
    expect(result).toBeUndefined();
    expect(ran).toBe(false);
    expect(gate.isOpen).toBe(false);
  });

  it("given work that never ends, closing gives up after its timeout and says so", async () => {
    const gate = new WorkGate();
    void gate.run(() => new Promise<void>(() => {}));
    expect(await gate.close(20)).toBe(false);
  });

  it("given an adapter's event accepted after closing, closing waits for its reply too", async () => {
    const gate = new WorkGate();
    const command = deferred();
    const reply = deferred();
    void gate.run(() => command.promise);
    let closed = false;
    const closing = gate.close(5_000).then(() => {
      closed = true;
    });
    const tracked = gate.track(reply.promise);
    command.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    expect(gate.inFlight).toBe(1);
    reply.resolve();
    await tracked;
    await closing;
    expect(closed).toBe(true);
  });

  it("given failing work, the count still goes back down", async () => {
    const gate = new WorkGate();
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(gate.inFlight).toBe(0);
  });
});
