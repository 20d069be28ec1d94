import { describe, expect, it } from "vitest";
import { actor, tableCounts, testCore } from "../../test/helpers.js";
import { drainingReply, handleText } from "./dispatch.js";
import type { CommandOutcome, Metrics } from "./metrics.js";
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
