import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actor, tableCounts, testCore } from "../../test/helpers.js";
import type { AnyCommand } from "./commands/command.js";
import { drainingReply, handleText, invoke } from "./dispatch.js";
import type { CommandOutcome, Metrics } from "./ports/metrics.js";
import { WorkGate } from "./work-gate.js";

function recordingMetrics() {
  const handled: { command: string; outcome: CommandOutcome }[] = [];
  const metrics: Metrics = {
    commandHandled: (command, outcome, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      handled.push({ command, outcome });
    },
    challengeGraded() {},
    postFinished() {},
    sendingChanged() {},
  };
  return { metrics, handled };
}

describe("dispatch", () => {
  it("given commands with every outcome, counts each once under its command's name", async () => {
    const t = testCore();
    const { metrics, handled } = recordingMetrics();
    const core = { ...t.core, metrics };
    await handleText(core, actor("ana"), "/roadmap");
    await handleText(core, actor("ana"), "/week 99");
    await handleText(core, actor("ana"), "/stats");
    await handleText(core, actor("ana"), "/answer no-such-question b");
    await handleText(core, actor("ana"), "/frobnicate now");
    expect(handled).toEqual([
      { command: "roadmap", outcome: "ok" },
      { command: "week", outcome: "invalid" },
      { command: "stats", outcome: "refused" },
      { command: "answer", outcome: "invalid" },
      { command: "unknown", outcome: "invalid" },
    ]);
  });

  it("given a handler that throws, counts an error and replies with a reference", async () => {
    const t = testCore();
    const { metrics, handled } = recordingMetrics();
    const broken = t.core.commands.map((command) =>
      command.name === "roadmap"
        ? {
            ...command,
            run: () => Promise.reject(new Error("a bug")),
          }
        : command,
    );
    const reply = await handleText({ ...t.core, commands: broken, metrics }, actor("ana"), "/roadmap");
    expect(reply?.text).toMatch(/ref [0-9a-f]{8}/);
    expect(handled).toEqual([{ command: "roadmap", outcome: "error" }]);
  });

  it("given a closed gate, an answer is turned away with the restarting reply and nothing is written", async () => {
    const t = testCore();
    const gate = new WorkGate();
    const { metrics, handled } = recordingMetrics();
    const core = { ...t.core, gate, metrics };
    const item = t.core.curriculum.bank.items[0];
    if (!item) throw new Error("the curriculum has quiz items");
    const before = tableCounts(t.database);
    await gate.close(1_000);
    const reply = await handleText(core, actor("ana"), `/answer ${item.id} a`);
    expect(reply).toEqual(drainingReply);
    expect(reply?.tone).toBe("error");
    expect(tableCounts(t.database)).toEqual(before);
    expect(handled).toEqual([{ command: "answer", outcome: "draining" }]);
  });

  it("given an answer in flight when the gate closes, it is stored and closing waits for it", async () => {
    const t = testCore();
    const gate = new WorkGate();
    const core = { ...t.core, gate };
    const item = t.core.curriculum.bank.items[0];
    if (!item) throw new Error("the curriculum has quiz items");
    const answering = handleText(core, actor("ana"), `/answer ${item.id} a`);
    const closing = gate.close(5_000);
    const reply = await answering;
    expect(await closing).toBe(true);
    expect(reply?.text).not.toBe(drainingReply.text);
    expect(tableCounts(t.database).answers).toBe(1);
  });
});

describe("dispatch event keys", () => {
  /** A command that only notes the event key its context carries. */
  function keyProbe(seen: (string | null)[]): AnyCommand {
    return {
      name: "probe",
      summary: "Notes the event key",
      audience: "everyone",
      group: "start",
      input: z.object({}),
      examples: [],
      async run(_input, ctx) {
        seen.push(ctx.eventKey);
        return { text: "noted" };
      },
    };
  }

  it("given an event key from the caller, invoke and handleText put it in the command's context, and null without one", async () => {
    const t = testCore();
    const seen: (string | null)[] = [];
    const probe = keyProbe(seen);
    const core = { ...t.core, commands: [...t.core.commands, probe] };
    await handleText(core, actor("ana"), "/probe", "discord:1234");
    await handleText(core, actor("ana"), "/probe");
    await invoke(core, actor("ana"), probe, {}, "slack:1.2.abc");
    await invoke(core, actor("ana"), probe, {});
    expect(seen).toEqual(["discord:1234", null, "slack:1.2.abc", null]);
  });

  /** Two deliveries of one /submit at once, each with its key; the answers' keys as stored. */
  async function submitTwiceAtOnce(keys: [string, string]) {
    const failing = { grade: async () => ({ verdict: "fail" as const, feedback: "Not the expected rows." }) };
    const t = testCore("2026-03-04T10:00:00Z", { grader: failing });
    const challenge = t.core.curriculum.bank.challenges[0];
    if (!challenge) throw new Error("the curriculum has challenges");
    const line = `/submit ${challenge.id} SELECT 1`;
    const replies = await Promise.all(keys.map((key) => handleText(t.core, actor("ana"), line, key)));
    const stored = t.database.sqlite.prepare("SELECT event_key AS key FROM answers ORDER BY id").all();
    return { replies, stored };
  }

  it("given the same /submit delivered twice at once with one event key, one answer is stored", async () => {
    const { replies, stored } = await submitTwiceAtOnce(["discord:77", "discord:77"]);
    expect(replies.map((r) => r?.text?.replace(/ .*/s, "")).sort()).toEqual(["Not", "That"]);
    expect(replies.map((r) => r?.text).find((text) => text?.startsWith("That"))).toBe(
      "That submission was already counted.",
    );
    expect(stored).toEqual([{ key: "discord:77" }]);
  });

  it("given two /submit deliveries at once with different event keys, both answers are stored", async () => {
    const { stored } = await submitTwiceAtOnce(["discord:77", "discord:78"]);
    expect(stored).toEqual([{ key: "discord:77" }, { key: "discord:78" }]);
  });

  it("given the same /answer delivered twice at once with one event key, one answer and one ledger entry are stored", async () => {
    const t = testCore();
    const item = t.core.curriculum.bank.items.find((i) => i.kind === "single");
    if (item?.kind !== "single") throw new Error("the curriculum has single-choice items");
    const line = `/answer ${item.id} ${item.answer}`;
    await Promise.all(
      ["slack:9.9.f00d", "slack:9.9.f00d"].map((key) => handleText(t.core, actor("ana"), line, key)),
    );
    const { sqlite } = t.database;
    expect(sqlite.prepare("SELECT event_key AS key FROM answers").all()).toEqual([{ key: "slack:9.9.f00d" }]);
    expect(sqlite.prepare("SELECT count(*) AS n FROM points_ledger").get()).toEqual({ n: 1 });
  });

  it("given the same /review answer delivered twice at once with one event key, one review answer is stored", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const item = t.core.curriculum.bank.items.find((i) => i.kind === "single");
    if (item?.kind !== "single") throw new Error("the curriculum has single-choice items");
    const wrong = item.choices.find((c) => c.id !== item.answer)?.id;
    await handleText(t.core, actor("ana"), `/answer ${item.id} ${wrong}`);
    t.clock.set("2026-03-05T10:00:00Z");
    const line = `/review ${item.id} ${item.answer}`;
    const replies = await Promise.all(
      ["discord:501", "discord:501"].map((key) => handleText(t.core, actor("ana"), line, key)),
    );
    const keys = t.database.sqlite.prepare("SELECT event_key AS key FROM answers ORDER BY id").all();
    expect(keys).toEqual([{ key: null }, { key: "discord:501" }]);
    // The replay leaves the review where the first delivery put it: one step of the schedule, not two.
    expect(replies.map((r) => r?.text).filter((text) => /already counted/.test(text ?? ""))).toHaveLength(1);
    const review = t.database.sqlite.prepare("SELECT streak FROM reviews").all();
    expect(review).toEqual([{ streak: 1 }]);
  });
});
