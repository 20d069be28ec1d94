import { describe, expect, it } from "vitest";
import { actor, realCurriculum, testCore } from "../../../test/helpers.js";
import { actionForm, handleAction, handleText } from "../dispatch.js";
import type { Grade } from "../grading/grader.js";
import { actionFor } from "./action.js";
import { submit } from "./submit.js";

const challenge = realCurriculum().bank.challenges.find((c) => c.engine === "sqlite");

/** A grader that records what it was given and passes it. */
function recordingGrader() {
  const graded: string[] = [];
  const grader = {
    grade: async (_challenge: unknown, query: string): Promise<Grade> => {
      graded.push(query);
      return { verdict: "pass" };
    },
  };
  return { graded, grader };
}

describe("typed actions", () => {
  it("given /challenge, its Submit choice asks with the words the form will show, from the core", async () => {
    if (!challenge) throw new Error("no SQLite challenge");
    const t = testCore();
    const opened = await handleText(t.core, actor("ana"), `/challenge ${challenge.id}`);
    const [choice] = opened?.choices ?? [];
    expect(choice?.action).toEqual({ command: "submit", args: { id: challenge.id } });
    expect(choice?.input).toEqual({ title: challenge.title, label: "Your SQL", multiline: true });
    expect(actionForm(t.core, choice?.action ?? { command: "", args: {} })).toEqual(choice?.input);
  });

  it("given a form's text, it fills the argument the action leaves out, whole and trimmed, and is graded", async () => {
    if (!challenge) throw new Error("no SQLite challenge");
    const { graded, grader } = recordingGrader();
    const t = testCore("2026-03-04T10:00:00Z", { grader });
    const action = actionFor(submit, { id: challenge.id });
    const query = "  SELECT name\nFROM customers\nWHERE note = 'two words';\n";
    const reply = await handleAction(t.core, actor("ana"), action, null, query);
    expect(reply?.text).toMatch(/^Solved!/);
    expect(graded).toEqual([query.trim()]);
  });

  it("given a blank form, the command says what is missing, as for a typed line", async () => {
    if (!challenge) throw new Error("no SQLite challenge");
    const t = testCore();
    const reply = await handleAction(
      t.core,
      actor("ana"),
      actionFor(submit, { id: challenge.id }),
      null,
      " \n",
    );
    expect(reply?.tone).toBe("error");
    expect(reply?.text).toContain("/submit: query is missing.");
  });

  it("given arguments its schema refuses, answers with the usage; given a command not known, gives nothing", async () => {
    const t = testCore();
    const refused = await handleAction(t.core, actor("ana"), {
      command: "answer",
      args: { question: "x".repeat(81), choice: "b" },
    });
    expect(refused?.text).toContain("/answer: question is too long.");
    expect(await handleAction(t.core, actor("ana"), { command: "frobnicate", args: {} })).toBeUndefined();
    // A form's text with no argument left to fill is not run either.
    const full = { command: "answer", args: { question: "q", choice: "b" } };
    expect(await handleAction(t.core, actor("ana"), full, null, "c")).toBeUndefined();
    expect(actionForm(t.core, full)).toBeUndefined();
  });
});
