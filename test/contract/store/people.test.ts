import { expect, it } from "vitest";
import type { Store } from "../../../src/core/ports/store.js";
import { defaultModuleSchedule } from "../../../src/core/schedules/timeline.js";
import { cappedName } from "../../../src/core/text.js";
import { actor } from "../../helpers.js";
import { describeStores } from "./stores.js";

const at = new Date("2026-03-04T10:00:00Z");

function newCohort(spaceId: number, createdBy: number, name: string) {
  return {
    spaceId,
    name,
    startDate: "2026-03-02",
    timezone: "UTC",
    channelExternalId: null,
    createdBy,
    at,
    moduleSchedule: defaultModuleSchedule("2026-03-02", "UTC"),
  };
}

describeStores("spaces, members, cohorts and tracks", (open) => {
  it("given the same person twice, ensures one space and one member, and renames them", async () => {
    const { store } = await open();
    const first = await store.identities.ensure(actor("ana"), at);
    const again = await store.identities.ensure(actor("ana", { displayName: "Ana B." }), at);
    expect(again.member.id).toBe(first.member.id);
    expect(again.member.displayName).toBe("Ana B.");
    expect(await store.identities.find(actor("bo"))).toBeUndefined();
    expect((await store.identities.findSpace(actor("bo")))?.id).toBe(first.space.id);
    expect(await store.identities.findSpace(actor("bo", { spaceExternalId: "elsewhere" }))).toBeUndefined();
  });

  it("given a display name over the budget, stores it cut", async () => {
    const { store } = await open();
    const long = `a${"\u0301".repeat(5_000)}`;
    const ana = await store.identities.ensure(actor("ana", { displayName: long }), at);
    expect(ana.member.displayName).toBe(cappedName(long));
    expect((await store.identities.find(actor("ana")))?.member.displayName).toBe(cappedName(long));
  });

  it("given one first message seen through two connections at once, makes one space and one member", async () => {
    const opened = await open();
    const other = await opened.another();
    const both = await Promise.all(
      [opened.store, other, opened.store, other].map((s) => s.identities.ensure(actor("ana"), at)),
    );
    expect(new Set(both.map((i) => i.member.id)).size).toBe(1);
    expect(await opened.query("SELECT id FROM members")).toHaveLength(1);
  });

  it("given a lookup by id or by name in any case, finds the member in that space only", async () => {
    const { store } = await open();
    const ana = await store.identities.ensure(actor("ana", { displayName: "Ana" }), at);
    await store.identities.ensure(actor("ana", { spaceExternalId: "elsewhere" }), at);
    expect((await store.identities.lookup(ana.space.id, "ANA")).map((m) => m.id)).toEqual([ana.member.id]);
    expect((await store.identities.lookup(ana.space.id, "ana")).map((m) => m.id)).toEqual([ana.member.id]);
    await store.identities.setTimezone(ana.member.id, "Europe/Paris");
    expect((await store.identities.find(actor("ana")))?.member.timezone).toBe("Europe/Paris");
  });

  it("given a cohort name taken in any case, refuses the second and moves the creator into the first", async () => {
    const opened = await open();
    const { store } = opened;
    const { space, member } = await store.identities.ensure(actor("mod"), at);
    const created = await store.cohorts.create(newCohort(space.id, member.id, "Spring"));
    expect(created.ok).toBe(true);
    expect(await store.cohorts.create(newCohort(space.id, member.id, "spring"))).toEqual({
      ok: false,
      error: "name-taken",
    });
    const spring = await store.cohorts.findByName(space.id, "SPRING");
    expect(spring).toMatchObject({ name: "Spring", status: "active", streakUnit: "day", createdAt: at });
    expect((await store.identities.find(actor("mod")))?.member.cohortId).toBe(spring?.id);
    expect(await opened.query(`SELECT kind FROM schedules WHERE cohort_id = ${spring?.id}`)).toEqual([
      { kind: "module" },
    ]);
    expect(await store.cohorts.moderatorOf(spring?.id ?? 0)).toMatchObject({ id: member.id });
  });

  it("given two moderators creating the same name at once through two connections, one cohort is made", async () => {
    const opened = await open();
    const other = await opened.another();
    const mod = await opened.store.identities.ensure(actor("mod"), at);
    const results = await Promise.all(
      [opened.store, other].map((s: Store) =>
        s.cohorts.create(newCohort(mod.space.id, mod.member.id, "Spring")),
      ),
    );
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(await opened.query("SELECT id FROM cohorts")).toHaveLength(1);
  });

  it("given one moderator creating several cohorts at once through two connections, makes every one", async () => {
    const opened = await open();
    const other = await opened.another();
    const mod = await opened.store.identities.ensure(actor("mod"), at);
    const names = Array.from({ length: 8 }, (_, i) => `cohort-${i}`);
    const results = await Promise.all(
      names.map((name, i) =>
        (i % 2 ? other : opened.store).cohorts.create(newCohort(mod.space.id, mod.member.id, name)),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await opened.store.cohorts.list(mod.space.id)).map((c) => c.name).sort()).toEqual(names);
  });

  it("given members joining cohorts and tracks, the summary counts them per current track", async () => {
    const { store } = await open();
    const mod = await store.identities.ensure(actor("mod"), at);
    const created = await store.cohorts.create(newCohort(mod.space.id, mod.member.id, "spring"));
    if (!created.ok) throw new Error("not created");
    const cohort = created.value;
    for (const [user, track] of [
      ["ana", "dba"],
      ["bo", "dba"],
      ["cy", "data-engineer"],
    ] as const) {
      const { member } = await store.identities.ensure(actor(user), at);
      await store.cohorts.join(member.id, cohort.id);
      await store.tracks.join(member.id, track, at);
    }
    expect(await store.cohorts.summary(cohort.id)).toEqual({
      memberCount: 4,
      tracks: [
        { trackId: "dba", members: 2 },
        { trackId: "data-engineer", members: 1 },
      ],
    });
    await store.cohorts.setStreakUnit(cohort.id, "week");
    await store.cohorts.setChannel(cohort.id, "C42");
    expect(await store.cohorts.get(cohort.id)).toMatchObject({
      streakUnit: "week",
      channelExternalId: "C42",
    });
    expect((await store.cohorts.list(mod.space.id)).map((c) => c.name)).toEqual(["spring"]);
  });

  it("given a member who switches tracks, keeps one current track", async () => {
    const { store } = await open();
    const { member } = await store.identities.ensure(actor("ana"), at);
    expect(await store.tracks.join(member.id, "dba", at)).toEqual({ previous: null });
    const later = new Date(at.getTime() + 60_000);
    expect(await store.tracks.join(member.id, "data-engineer", later)).toEqual({ previous: "dba" });
    expect(await store.tracks.current(member.id)).toEqual({
      memberId: member.id,
      trackId: "data-engineer",
      joinedAt: later,
    });
    expect(await store.tracks.leave(member.id, later)).toMatchObject({ trackId: "data-engineer" });
    expect(await store.tracks.current(member.id)).toBeUndefined();
    expect(await store.tracks.leave(member.id, later)).toBeUndefined();
  });

  it("given one learner joining two tracks at once through two connections, one stays current", async () => {
    const opened = await open();
    const other = await opened.another();
    const { member } = await opened.store.identities.ensure(actor("ana"), at);
    await Promise.all([
      opened.store.tracks.join(member.id, "dba", at),
      other.tracks.join(member.id, "data-engineer", at),
    ]);
    expect(await opened.query("SELECT id FROM track_memberships WHERE left_at IS NULL")).toHaveLength(1);
  });
});
