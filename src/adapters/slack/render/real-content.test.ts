import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../../test/helpers.js";
import * as real from "../../../../test/real-messages.js";
import { commands } from "../../../core/commands/registry.js";
import { handleText } from "../../../core/dispatch.js";
import type { Message } from "../../../core/messages.js";
import { learnerHome } from "../../../core/services/home.js";
import { parseAction, renderBlocks, type SlackMessagePart } from "./blocks.js";
import { limitProblems, viewProblems } from "./check.js";
import { homeView } from "./home.js";
import { modalView } from "./modal.js";

function blockText(block: KnownBlock): string[] {
  switch (block.type) {
    case "header":
      return [block.text.text];
    case "section":
      return [block.text?.text ?? "", ...(block.fields ?? []).map((f) => f.text)];
    case "context":
      return block.elements.map((e) => ("text" in e && typeof e.text === "string" ? e.text : ""));
    case "actions":
      // A button's text is readable unless it was clipped.
      return block.elements.map((e) =>
        e.type === "button" && !e.text.text.endsWith("…") ? e.text.text : "",
      );
    default:
      return [];
  }
}

/** Slack would accept every part, and no word went missing from the blocks or from the fallback text. */
function expectRenderable(label: string, message: Message): SlackMessagePart[] {
  const parts = renderBlocks(message);
  expect(parts.flatMap(limitProblems), label).toEqual([]);
  // Link labels must survive too: as buttons, or listed in the text when they do not fit.
  const expected = new Set([
    ...real.messageWords(message),
    ...real.words((message.links ?? []).map((l) => l.label).join("\n")),
  ]);
  const blocks = parts.flatMap((p) => p.blocks.flatMap(blockText)).join("\n");
  expect(real.missingWords(expected, blocks), `${label}: blocks`).toEqual([]);
  expect(real.missingWords(expected, parts.map((p) => p.text).join("\n")), `${label}: text`).toEqual([]);
  return parts;
}

const buttonActions = (parts: readonly SlackMessagePart[]) =>
  parts.flatMap((p) =>
    p.blocks.flatMap((block) =>
      block.type === "actions"
        ? block.elements.map((e) =>
            e.type === "button" && e.url === undefined
              ? parseAction(e.action_id ?? "", e.value ?? "", commands)?.action
              : "url",
          )
        : [],
    ),
  );

describe("Slack rendering of the real curriculum and commands", () => {
  it("given every quiz item, each choice becomes a button that runs its /answer action", () => {
    const quizzes = real.quizMessages();
    expect(quizzes.length).toBeGreaterThan(0);
    for (const { label, message } of quizzes) {
      const parts = expectRenderable(label, message);
      expect(buttonActions(parts), label).toEqual((message.choices ?? []).map((choice) => choice.action));
    }
  });

  it("given every scheduled post, each renders within Slack's limits and a module post is one message", () => {
    const { modules, others } = real.scheduledPosts(real.sampleCohort("C0123ABCDE"));
    for (const { label, message } of modules) {
      const [post, ...more] = expectRenderable(label, message);
      expect(more, label).toEqual([]);
      expect(
        post?.blocks.some((b) => b.type === "actions"),
        label,
      ).toBe(true);
    }
    for (const { label, message } of others) expectRenderable(label, message);
  });

  it("given every command's examples, every week and every challenge, the replies render within limits", async () => {
    for (const { label, message } of await real.commandReplies()) {
      const parts = expectRenderable(label, message);
      for (const choice of message.choices ?? []) {
        if (!choice.input) continue;
        const form = modalView({ action: choice.action, ...choice.input, channelId: "C0123ABCDE" });
        expect(viewProblems(form), label).toEqual([]);
      }
      expect(
        buttonActions(parts).filter((a) => a !== "url"),
        label,
      ).toEqual((message.choices ?? []).map((choice) => choice.action));
    }
  });

  it("given the learner's home before and after joining, the App Home is a valid view with its buttons", async () => {
    const { core } = testCore("2026-03-18T09:00:00Z");
    const home = async (user: string) => learnerHome({ ...core, actor: actor(user) });
    const stranger = homeView(await home("zoe"));
    expect(viewProblems(stranger)).toEqual([]);
    await handleText(core, actor("mod"), "/cohort create spring 2026-03-02 Europe/Berlin");
    await handleText(core, actor("ana"), "/cohort join spring");
    const message = await home("ana");
    const view = homeView(message);
    expect(viewProblems(view)).toEqual([]);
    const fields = view.blocks.find((b) => b.type === "section" && "fields" in b && b.fields);
    expect(fields && "fields" in fields ? fields.fields?.length : 0).toBe(message.fields?.length);
    expect(view.blocks.some((b) => b.type === "actions")).toBe(true);
  });
});
