import { expect, it } from "vitest";
import { describeStores } from "./stores.js";

// A platform request (a Slack request's signature) is taken by one process, however many it reaches.

const at = new Date("2026-03-02T09:00:00Z");
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

describeStores("requests", (open) => {
  it("given a request offered again before it is forgotten, only the first offer takes it; once forgotten, it is new", async () => {
    const { store } = await open();
    expect(await store.requests.firstTime("slack:v0=aa", at, later(300))).toBe(true);
    expect(await store.requests.firstTime("slack:v0=aa", later(10), later(310))).toBe(false);
    expect(await store.requests.firstTime("slack:v0=bb", later(10), later(310))).toBe(true);
    expect(await store.requests.firstTime("slack:v0=aa", later(300), later(600))).toBe(true);
    expect(await store.requests.firstTime("slack:v0=aa", later(301), later(601))).toBe(false);
  });

  it("given one request offered through two stores at once, one of them takes it", async () => {
    const opened = await open();
    const other = await opened.another();
    const offers = await Promise.all(
      [opened.store, other, opened.store, other].map((store) =>
        store.requests.firstTime("slack:v0=cc", at, later(300)),
      ),
    );
    expect(offers.filter(Boolean)).toHaveLength(1);
  });

  it("given requests long forgotten, a later offer sweeps them out", async () => {
    const opened = await open();
    for (let i = 0; i < 5; i++) await opened.store.requests.firstTime(`slack:old-${i}`, at, later(300));
    await opened.store.requests.firstTime("slack:new", later(3600), later(3900));
    const left = await opened.query<{ key: string }>("SELECT key FROM seen_requests ORDER BY key");
    expect(left.map((r) => r.key)).toEqual(["slack:new"]);
  });
});
