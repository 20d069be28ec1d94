import { describe, expect, it } from "vitest";
import { actor, type TestCore, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import type { ChannelCheck } from "../ports/channels.js";
import type { ChannelTarget } from "../ports/outbox.js";

/**
 * A core whose platform accepts the actor's own channel ("general") and answers every other channel
 * check with `answer`, recording what was asked about the others.
 */
function withDirectory(answer: ChannelCheck): { t: TestCore; asked: ChannelTarget[] } {
  const t = testCore("2026-03-01T12:00:00Z");
  const asked: ChannelTarget[] = [];
  t.core = {
    ...t.core,
    channels: {
      async check(target) {
        if (target.channelExternalId === "general") return { ok: true, channelExternalId: "general" };
        asked.push(target);
        return answer;
      },
    },
  };
  return { t, asked };
}

async function say(t: TestCore, line: string): Promise<string> {
  const reply = await handleText(t.core, actor("mod"), line);
  return [reply?.title, reply?.text, reply?.footer].filter(Boolean).join("\n");
}

async function channelOf(t: TestCore): Promise<string | null | undefined> {
  const space = await t.core.store.identities.findSpace(actor("mod"));
  const cohort = space && (await t.core.store.cohorts.findByName(space.id, "spring"));
  return cohort?.channelExternalId;
}

describe("/schedule channel asks the platform whether the channel is the space's own", () => {
  it.each([
    [
      "elsewhere",
      /"C9" is a channel of another server or workspace, not this one\.\nRun \/schedule channel inside/,
    ],
    ["not-a-channel", /"C9" is not a channel: posts go to a channel, not to a person/],
    ["unknown", /I can't find a channel "C9" here that I may see\.\nRun \/schedule channel inside/],
    [
      "unavailable",
      /I couldn't check that channel just now \(Slack did not answer\), so nothing changed\.\nTry again/,
    ],
  ] as const)(
    "given the platform answers %s, replies why and what is right, and keeps the channel",
    async (reason, expected) => {
      const { t } = withDirectory({ ok: false, reason, detail: "Slack did not answer" });
      await say(t, "/cohort create spring 2026-03-02 UTC");

      expect(await say(t, "/schedule channel C9")).toMatch(expected);
      expect(await channelOf(t)).toBe("general");
    },
  );

  it("given a channel the platform accepts, asks about the id in the actor's space and saves it", async () => {
    const { t, asked } = withDirectory({ ok: true, channelExternalId: "C0STUDY" });
    await say(t, "/cohort create spring 2026-03-02 UTC");

    expect(await say(t, "/schedule channel <#C0STUDY|study>")).toMatch(
      /Posts for \*\*spring\*\* go to #C0STUDY/,
    );
    expect(asked).toEqual([{ platform: "terminal", spaceExternalId: "local", channelExternalId: "C0STUDY" }]);
    expect(await channelOf(t)).toBe("C0STUDY");
  });

  it("given a platform without a channel directory (the terminal), the channel is saved as named", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    await say(t, "/cohort create spring 2026-03-02 UTC");

    expect(await say(t, "/schedule channel study")).toMatch(/go to #study from now on/);
    expect(await channelOf(t)).toBe("study");
  });

  it("given a name the platform resolves, the channel's id is saved", async () => {
    const { t } = withDirectory({ ok: true, channelExternalId: "C0STUDY" });
    await say(t, "/cohort create spring 2026-03-02 UTC");

    expect(await say(t, "/schedule channel #study")).toMatch(/go to #study from now on/);
    expect(await channelOf(t)).toBe("C0STUDY");
  });
});

describe("/cohort create keeps the channel it was run in only if the platform accepts it", () => {
  it("given a channel the platform refuses (a direct message), the cohort starts without one and says how to set it", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    t.core = {
      ...t.core,
      channels: { check: async () => ({ ok: false, reason: "not-a-channel", detail: "a direct message" }) },
    };
    expect(await say(t, "/cohort create spring 2026-03-02 UTC")).toMatch(
      /created: .*once it has a channel: run \/schedule channel in the channel it should use/,
    );
    expect(await channelOf(t)).toBeNull();
  });

  it("given a platform that cannot be asked just now, the channel is kept (every post checks again)", async () => {
    const t = testCore("2026-03-01T12:00:00Z");
    t.core = {
      ...t.core,
      channels: { check: async () => ({ ok: false, reason: "unavailable", detail: "timeout" }) },
    };
    expect(await say(t, "/cohort create spring 2026-03-02 UTC")).toMatch(/posts here at that time/);
    expect(await channelOf(t)).toBe("general");
  });
});
