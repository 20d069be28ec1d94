import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack, webClientFor } from "../../../test/fakes/slack/index.js";
import { SlackPeople } from "./actor.js";

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("Slack people as the core's actors", () => {
  it("given owners, admins and listed users, they moderate; other members do not", async () => {
    fake = await startFakeSlack();
    const people = new SlackPeople(webClientFor(fake), { moderators: ["U0GRACE"] });
    const who = (userId: string) => people.actor({ teamId: "T0QUORUM", userId, channelId: "C0GENERAL" });
    expect((await who("U0OLIVE")).isModerator).toBe(true);
    expect((await who("U0ADRIAN")).isModerator).toBe(true);
    expect((await who("U0GRACE")).isModerator).toBe(true);
    const ada = await who("U0ADA");
    expect(ada).toMatchObject({
      platform: "slack",
      spaceExternalId: "T0QUORUM",
      userExternalId: "U0ADA",
      displayName: "ada",
      isModerator: false,
      channelExternalId: "C0GENERAL",
    });
  });

  it("given the same person twice within a minute, users.info is asked once", async () => {
    fake = await startFakeSlack();
    let clock = 0;
    const people = new SlackPeople(webClientFor(fake), { moderators: [] }, () => clock);
    await people.actor({ teamId: "T0QUORUM", userId: "U0ADA" });
    await people.actor({ teamId: "T0QUORUM", userId: "U0ADA" });
    expect(fake.callsNamed("users.info")).toHaveLength(1);
    clock = 61_000;
    await people.actor({ teamId: "T0QUORUM", userId: "U0ADA" });
    expect(fake.callsNamed("users.info")).toHaveLength(2);
  });

  it("given a user Slack does not know, the person is still answered, as a member", async () => {
    fake = await startFakeSlack();
    const people = new SlackPeople(webClientFor(fake), { moderators: [] });
    const actor = await people.actor({ teamId: "T0QUORUM", userId: "U0NOBODY", userName: "nobody" });
    expect(actor).toMatchObject({ displayName: "nobody", isModerator: false });
  });
});
