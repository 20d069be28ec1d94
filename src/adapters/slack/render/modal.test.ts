import type { ViewOutput } from "@slack/bolt";
import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import type { Action } from "../../../core/messages.js";
import { viewProblems } from "./check.js";
import { modalView, readSubmission } from "./modal.js";

/** What Slack sends back when the form is submitted: the view with its state filled in. */
function submitted(view: ReturnType<typeof modalView>, typed: string | null): ViewOutput {
  return {
    ...view,
    id: "V1",
    team_id: "T1",
    app_id: "A1",
    bot_id: "B1",
    title: { type: "plain_text", text: view.title.text },
    close: null,
    submit: null,
    hash: "h",
    root_view_id: null,
    previous_view_id: null,
    clear_on_close: false,
    notify_on_close: false,
    callback_id: view.callback_id ?? "",
    private_metadata: view.private_metadata ?? "",
    blocks: view.blocks,
    state: { values: { answer: { text: { type: "plain_text_input", value: typed } } } },
  };
}

const submitX: Action = { command: "submit", args: { id: "sql-customer-order-counts" } };
const answerQ9: Action = { command: "answer", args: { question: "w3-q9" } };
const quiz: Action = { command: "quiz", args: {} };

describe("Slack forms", () => {
  it("given a multiline request, builds a modal with one input whose answer completes the action", () => {
    const view = modalView({
      action: submitX,
      title: "Orders",
      label: "Your SQL",
      placeholder: "SELECT …",
      multiline: true,
      channelId: "C0123ABCDE",
    });
    expect(view).toEqual({
      type: "modal",
      callback_id: "quorum:ask",
      title: { type: "plain_text", text: "Orders" },
      submit: { type: "plain_text", text: "Submit" },
      close: { type: "plain_text", text: "Cancel" },
      private_metadata: JSON.stringify({
        v: 1,
        command: "submit",
        args: { id: "sql-customer-order-counts" },
        channelId: "C0123ABCDE",
      }),
      blocks: [
        {
          type: "input",
          block_id: "answer",
          label: { type: "plain_text", text: "Your SQL" },
          element: {
            type: "plain_text_input",
            action_id: "text",
            multiline: true,
            max_length: 3000,
            placeholder: { type: "plain_text", text: "SELECT …" },
          },
        },
      ],
    });
    expect(viewProblems(view)).toEqual([]);
  });

  it("given a submitted form, reads back the action, the channel and the typed text", () => {
    const view = modalView({
      action: answerQ9,
      title: "Answer",
      label: "Your answer",
      multiline: false,
      channelId: "C1",
    });
    expect(readSubmission(submitted(view, "a join"))).toEqual({
      action: answerQ9,
      channelId: "C1",
      text: "a join",
    });
    expect(readSubmission(submitted(view, "SELECT 1;\nSELECT 2;"))?.text).toBe("SELECT 1;\nSELECT 2;");
  });

  it("given a form opened outside a channel, the submission has no channel; an empty input reads as empty", () => {
    const view = modalView({ action: quiz, title: "Q", label: "L", multiline: false });
    expect(view.blocks[0]).toMatchObject({ element: { multiline: false } });
    expect(view.blocks[0]).not.toHaveProperty("element.placeholder");
    expect(readSubmission(submitted(view, null))).toEqual({ action: quiz, text: "" });
  });

  it("given metadata that is not ours, gives nothing", () => {
    const view = modalView({ action: quiz, title: "Q", label: "L", multiline: false });
    for (const metadata of [
      "",
      "not json",
      "null",
      "[]",
      '{"line":"/quiz"}',
      '{"v":2,"command":"quiz","args":{}}',
      '{"v":1,"command":"","args":{}}',
      '{"v":1,"command":"quiz","args":{"week":3}}',
      '{"v":1,"command":"quiz"}',
    ]) {
      expect(
        readSubmission({ ...submitted(view, "x"), private_metadata: metadata }),
        metadata,
      ).toBeUndefined();
    }
  });

  it("given metadata naming __proto__ as an argument, drops it and changes no prototype", () => {
    const view = modalView({ action: quiz, title: "Q", label: "L", multiline: false });
    const forged = '{"v":1,"command":"quiz","args":{"__proto__":{"polluted":"yes"}}}';
    const read = readSubmission({ ...submitted(view, "x"), private_metadata: forged });
    expect(read?.action).toEqual(quiz);
    expect(Object.getPrototypeOf(read?.action.args)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("given a long title, label and placeholder, clips them to Slack's limits", () => {
    const view = modalView({
      action: { command: "submit", args: { id: "x" } },
      title: "**Cache** with a TTL and eviction policy",
      label: "L".repeat(2100),
      placeholder: "P".repeat(200),
      multiline: true,
    });
    expect(view.title.text).toHaveLength(24);
    expect(view.title.text.startsWith("Cache with")).toBe(true);
    // A view's blocks are typed loosely; ours are all known blocks.
    const input = view.blocks[0] as KnownBlock | undefined;
    expect(input?.type === "input" && input.label.text.length).toBe(2000);
    expect(
      input?.type === "input" &&
        input.element.type === "plain_text_input" &&
        input.element.placeholder?.text.length,
    ).toBe(150);
    expect(viewProblems(view)).toEqual([]);
  });

  it("given a blank title and label, falls back to words rather than an empty field Slack refuses", () => {
    const view = modalView({ action: quiz, title: " ", label: "", multiline: false });
    expect(view.title.text).toBe("Your answer");
    expect(view.blocks[0]).toMatchObject({ label: { text: "Your answer" } });
  });

  it("given an action too long for private_metadata, refuses with a clear error", () => {
    const long: Action = { command: "submit", args: { id: "x".repeat(3000) } };
    expect(() => modalView({ action: long, title: "T", label: "L", multiline: true })).toThrow(/too long/);
  });
});
