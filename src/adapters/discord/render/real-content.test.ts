import { describe, expect, it } from "vitest";
import * as real from "../../../../test/real-messages.js";
import { commands } from "../../../core/commands/registry.js";
import type { Message } from "../../../core/messages.js";
import { limitProblems } from "./check.js";
import { type DiscordPayload, parseCustomId, renderMessage } from "./message.js";

function payloadText(payloads: readonly DiscordPayload[]): string {
  return payloads
    .flatMap((p) => [
      p.content ?? "",
      ...p.embeds.flatMap((e) => [
        e.title ?? "",
        e.description ?? "",
        e.footer?.text ?? "",
        ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      ]),
      // A button's label is readable unless it was clipped.
      ...p.components.flatMap((row) =>
        row.components.map((b) => ("label" in b && !b.label?.endsWith("…") ? (b.label ?? "") : "")),
      ),
    ])
    .join("\n");
}

/** Discord would accept every payload, and no word of the message (choices too) went missing on the way. */
function expectRenderable(label: string, message: Message): DiscordPayload[] {
  const payloads = renderMessage(message, { ephemeral: message.visibility === "private" });
  expect(payloads.flatMap(limitProblems), label).toEqual([]);
  expect(real.missingWords(real.messageWords(message), payloadText(payloads)), label).toEqual([]);
  return payloads;
}

describe("Discord rendering of the real curriculum and commands", () => {
  it("given every quiz item, each choice becomes a button whose custom_id runs its /answer action", () => {
    const quizzes = real.quizMessages();
    expect(quizzes.length).toBeGreaterThan(0);
    for (const { label, message } of quizzes) {
      const payloads = expectRenderable(label, message);
      const buttons = payloads.flatMap((p) => p.components.flatMap((row) => row.components));
      const actions = buttons.map((b) =>
        "custom_id" in b ? parseCustomId(b.custom_id, commands)?.action : undefined,
      );
      expect(actions, label).toEqual((message.choices ?? []).map((choice) => choice.action));
    }
  });

  it("given every scheduled post, each renders within Discord's limits and a module post is one embed", () => {
    const { modules, others } = real.scheduledPosts(real.sampleCohort("123456789012345678"));
    for (const { label, message } of modules) {
      const [post, ...more] = expectRenderable(label, message);
      expect(more, label).toEqual([]);
      expect(post?.embeds, label).toHaveLength(1);
      expect(post?.components.length, label).toBeGreaterThan(0);
    }
    for (const { label, message } of others) expectRenderable(label, message);
  });

  it("given every command's examples, every week and every challenge, the replies render within limits", async () => {
    for (const { label, message } of await real.commandReplies()) expectRenderable(label, message);
  });
});
