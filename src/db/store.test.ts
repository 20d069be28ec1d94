import { describe, expect, it } from "vitest";
import { actor, tempDatabase } from "../../test/helpers.js";
import { cappedName } from "../core/text.js";
import { openDatabase } from "./client.js";
import { createStore } from "./store.js";

const at = new Date("2026-03-04T10:00:00Z");

// What the ports promise is tested on both stores in test/contract/store; here, what is SQLite's own.
describe("SQLite store", () => {
  it("given a new file, opens it with WAL, foreign keys and a busy timeout", () => {
    const { sqlite } = tempDatabase();
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("given a display name over the budget, stores it cut, and reads a long name stored earlier cut too", async () => {
    const { db, sqlite } = tempDatabase();
    const store = createStore(db);
    const long = `a${"\u0301".repeat(50_000)}`;
    const ana = await store.identities.ensure(actor("ana", { displayName: long }), at);
    expect(ana.member.displayName).toBe(cappedName(long));
    const stored = sqlite.prepare("SELECT display_name AS name FROM members WHERE id = ?").get(ana.member.id);
    expect(stored).toEqual({ name: cappedName(long) });

    sqlite.prepare("UPDATE members SET display_name = ? WHERE id = ?").run(long, ana.member.id);
    expect((await store.identities.find(actor("ana")))?.member.displayName).toBe(cappedName(long));
  });

  it("given the same user id in two spaces, keeps two separate members", async () => {
    const { db } = tempDatabase();
    const store = createStore(db);
    const a = await store.identities.ensure(actor("ana", { spaceExternalId: "guild-a" }), at);
    const b = await store.identities.ensure(actor("ana", { spaceExternalId: "guild-b" }), at);
    expect(a.space.id).not.toBe(b.space.id);
    expect(a.member.id).not.toBe(b.member.id);
  });

  it("given a member who switches tracks, keeps one current track and the history", async () => {
    const database = tempDatabase();
    const store = createStore(database.db);
    const { member } = await store.identities.ensure(actor("ana"), at);
    expect(await store.tracks.join(member.id, "dba", at)).toEqual({ previous: null });
    expect(await store.tracks.join(member.id, "data-architect", new Date(at.getTime() + 1000))).toEqual({
      previous: "dba",
    });
    expect((await store.tracks.current(member.id))?.trackId).toBe("data-architect");
    const rows = database.sqlite
      .prepare("SELECT track_id, left_at IS NULL AS current FROM track_memberships ORDER BY id")
      .all();
    expect(rows).toEqual([
      { track_id: "dba", current: 0 },
      { track_id: "data-architect", current: 1 },
    ]);
    expect((await store.tracks.leave(member.id, at))?.trackId).toBe("data-architect");
    expect(await store.tracks.current(member.id)).toBeUndefined();
    expect(await store.tracks.leave(member.id, at)).toBeUndefined();
  });

  it("given the file closed and opened again, the data is still there", async () => {
    const database = tempDatabase();
    const { member } = await createStore(database.db).identities.ensure(actor("ana"), at);
    await createStore(database.db).tracks.join(member.id, "dba", at);
    database.close();
    const reopened = openDatabase(database.path);
    try {
      expect((await createStore(reopened.db).tracks.current(member.id))?.trackId).toBe("dba");
    } finally {
      reopened.close();
    }
  });
});
