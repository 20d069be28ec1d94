import type { AnyBlock, KnownBlock, View } from "@slack/web-api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import {
  actorFor,
  anyLine,
  expectationFor,
  expectationProblems,
  holdsLoneSurrogate,
  hostileDisplayName,
  hostileLine,
  hostileText,
  knownValues,
  messageProblems,
} from "../../../test/hostile-input.js";
import { commands } from "../../core/commands/registry.js";
import { actionForm, type Core, handleAction } from "../../core/dispatch.js";
import type { Action, Message } from "../../core/messages.js";
import type { Actor } from "../../core/ports/identity.js";
import { learnerHome } from "../../core/services/home.js";
import { slackCommandNames } from "./command-text.js";
import { slashCommandReply } from "./events/commands.js";
import { parseAction, renderBlocks, type SlackMessagePart } from "./render/blocks.js";
import { limitProblems, viewProblems } from "./render/check.js";
import { homeView } from "./render/home.js";
import { answerActionId, answerBlockId, modalView, readSubmission } from "./render/modal.js";

const slash = "/quorum";
const localize = slackCommandNames(commands, slash);
/** The core's "/week" as Slack replies name it, "/quorum week". */
const localizeText = (text: string) => localize({ text }).text ?? text;
const ids = { space: "T0HOSTILE", channel: "C0GENERAL1" };
const known = knownValues(realCurriculum(), "slack");

type Role = "learner" | "moderator";
const roles = fc.constantFrom<Role>("learner", "moderator");

/**
 * In mrkdwn, `<…>` is Slack's own syntax: `<!channel>`, `<!here>` and `<@U…>` notify people. The
 * renderer escapes every `<` of the text it is given, so the only ones left must be its own links
 * and channel names.
 */
const foreignSyntax = /<(?!(?:https?|mailto):[^<>|]*\|[^<>]*>|#[CG][A-Z0-9]{8,}>)/;

/** Every mrkdwn string Slack parses for mentions in a block list. */
function mrkdwnTexts(blocks: readonly (KnownBlock | AnyBlock)[]): string[] {
  return blocks.flatMap((block) => {
    const b = block as {
      text?: { type: string; text: string };
      fields?: { type: string; text: string }[];
      elements?: { type: string; text?: string }[];
    };
    const texts = [b.text, ...(b.fields ?? []), ...(block.type === "context" ? (b.elements ?? []) : [])];
    return texts.flatMap((t) => (t?.type === "mrkdwn" && typeof t.text === "string" ? [t.text] : []));
  });
}

function mentionProblems(texts: readonly string[]): string[] {
  return texts.flatMap((text) => {
    const found = foreignSyntax.exec(text);
    return found
      ? [`unescaped Slack syntax: ${JSON.stringify(text.slice(found.index, found.index + 30))}`]
      : [];
  });
}

/** What Slack would refuse or mis-read in the rendered reply. */
function partsProblems(parts: SlackMessagePart[]): string[] {
  const problems = parts.length === 0 ? ["no message parts"] : parts.flatMap(limitProblems);
  problems.push(...mentionProblems(parts.flatMap((p) => [p.text, ...mrkdwnTexts(p.blocks)])));
  // Slack's API reads UTF-8, which cannot carry half a character, whatever the input held.
  if (holdsLoneSurrogate(parts)) problems.push("half a surrogate pair in the message");
  return problems;
}

function viewsProblems(view: View): string[] {
  return [...viewProblems(view), ...partsProblems([{ text: "view", blocks: view.blocks as KnownBlock[] }])];
}

/** A workspace where the moderator runs a cohort with a channel; the learner joined it and a track. */
async function workspaceWithCohort(): Promise<{ core: Core; actor: (role: Role, name: string) => Actor }> {
  const { core } = testCore();
  const actor = (role: Role, name: string) => actorFor("slack", role, name, ids);
  for (const [role, text] of [
    ["moderator", "cohort create spring 2026-03-02"],
    ["moderator", "schedule channel"],
    ["learner", "cohort join spring"],
    ["learner", "track join dba"],
  ] as const) {
    await slashCommandReply(core, actor(role, role), text, slash);
  }
  return { core, actor };
}

/** `/quorum <text>` as the slash-command listener answers it, checked from the model to the blocks. */
async function slashProblems(
  core: Core,
  actor: Actor,
  text: string,
): Promise<{ problems: string[]; reply: Message }> {
  const reply = localize(await slashCommandReply(core, actor, text, slash));
  const expected =
    text.trim() === "" ? expectationFor("help", actor, commands) : expectationFor(text, actor, commands);
  const problems =
    expected.kind === "nothing"
      ? [
          ...messageProblems(reply),
          ...(reply.tone === "error" ? [] : ["a line of no command is not an error"]),
        ]
      : expectationProblems(expected, reply, localizeText);
  problems.push(...partsProblems(renderBlocks(reply)));
  return { problems, reply };
}

/** Every button of a rendered reply, as Slack sends a press back. */
function buttonsOf(message: Message): { actionId: string; value: string; label: string }[] {
  return renderBlocks(message).flatMap((part) =>
    part.blocks.flatMap((block) =>
      block.type === "actions"
        ? block.elements.flatMap((element) =>
            element.type === "button" && element.value !== undefined
              ? [{ actionId: element.action_id ?? "", value: element.value, label: element.text.text }]
              : [],
          )
        : [],
    ),
  );
}

/** A press on one of the reply's buttons, and the form it may open sent with `typed`, as actions.ts does. */
async function pressProblems(core: Core, actor: Actor, message: Message, pick: number, typed: string) {
  const buttons = buttonsOf(message);
  const button = buttons[pick % Math.max(1, buttons.length)];
  if (!button) return [];
  const pressed = parseAction(button.actionId, button.value, commands);
  if (!pressed) return [`button ${button.actionId} is not read back`];
  const problems: string[] = [];
  let action: Action = pressed.action;
  let text: string | undefined;
  if (pressed.mode === "ask") {
    const words = actionForm(core, action);
    if (!words) return [`button ${button.actionId} asks for nothing`];
    const view = modalView({ action, ...words, channelId: ids.channel });
    problems.push(...viewsProblems(view));
    const submitted = readSubmission({
      ...view,
      state: { values: { [answerBlockId]: { [answerActionId]: { value: typed } } } },
    });
    if (!submitted) return [...problems, "the form's submission is not read back"];
    ({ action, text } = submitted);
  }
  const reply = await handleAction(core, actor, action, null, text);
  if (!reply) return [...problems, `no reply to /${action.command}`];
  problems.push(...messageProblems(reply), ...partsProblems(renderBlocks(localize(reply))));
  return problems;
}

describe("Slack under hostile input", () => {
  it.each(commands.map((command) => [command.name, command] as const))(
    "given /quorum %s with hostile arguments from learners and moderators, replies well formed within Slack's limits",
    async (_name, command) => {
      const { core, actor } = await workspaceWithCohort();
      await fc.assert(
        fc.asyncProperty(roles, hostileDisplayName, hostileLine(command, known), async (role, name, text) => {
          const { problems } = await slashProblems(core, actor(role, name), text);
          expect(problems, JSON.stringify(text)).toEqual([]);
        }),
        { numRuns: 50 },
      );
    },
  );

  it("given any text after /quorum, then a press on one of the reply's buttons and a hostile form, never fails", async () => {
    const { core, actor } = await workspaceWithCohort();
    await fc.assert(
      fc.asyncProperty(
        roles,
        hostileDisplayName,
        anyLine(commands, known),
        fc.nat(),
        hostileText,
        async (role, name, text, pick, typed) => {
          const who = actor(role, name);
          const { problems, reply } = await slashProblems(core, who, text);
          problems.push(...(await pressProblems(core, who, reply, pick, typed)));
          const home = localize(await learnerHome({ ...core, actor: who }));
          problems.push(...messageProblems(home), ...viewsProblems(homeView(home)));
          expect(problems, JSON.stringify([text, typed])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("given forged action ids, button values and form metadata, reads only its own and answers what it reads", async () => {
    const { core, actor } = await workspaceWithCohort();
    const actionId = fc.oneof(
      fc.constantFrom(
        "quorum:run:0",
        "quorum:ask:3",
        "quorum:run:",
        "quorum:drop:1",
        "link:0",
        "quorum:run:99999999999",
      ),
      hostileText,
    );
    const metadata = fc.oneof(
      hostileText,
      fc
        .tuple(
          fc.oneof(hostileText, fc.constantFrom(...commands.map((c) => c.name))),
          hostileText,
          hostileText,
        )
        .map(([command, id, channelId]) => JSON.stringify({ v: 1, command, args: { id }, channelId })),
      hostileText.map((line) => JSON.stringify({ line })),
      fc.constantFrom(
        "null",
        "[]",
        '"line"',
        '{"line": 3}',
        '{"__proto__": {"line": "/help"}}',
        '{"v": 1, "command": "help", "args": {"__proto__": {"command": "x"}}}',
        '{"v": 1, "command": "submit", "args": {"id": 3}}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        roles,
        actionId,
        fc.oneof(
          hostileText,
          hostileText.map((text) => `/answer w01-left ${text}`),
        ),
        metadata,
        hostileText,
        async (role, id, value, meta, typed) => {
          const problems: string[] = [];
          const runs: { action: Action; text?: string }[] = [];
          const pressed = parseAction(id, value, commands);
          if (pressed) {
            if (!/^quorum:(run|ask):\d+$/.test(id)) problems.push(`accepted action id ${id}`);
            runs.push({ action: pressed.action });
          }
          const submitted = readSubmission({
            private_metadata: meta,
            state: { values: { [answerBlockId]: { [answerActionId]: { value: typed } } } },
          });
          if (submitted) runs.push(submitted);
          for (const { action, text } of runs) {
            const reply = await handleAction(core, actor(role, "ana"), action, null, text);
            if (reply)
              problems.push(...messageProblems(reply), ...partsProblems(renderBlocks(localize(reply))));
          }
          expect(problems, JSON.stringify([id, value, meta, typed])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("given an echoed code fence or a long run of backticks, every block closes the code it opens", async () => {
    const { core, actor } = await workspaceWithCohort();
    for (const text of ["roadmap ```js\nalert(1)\n```", `roadmap ${"`".repeat(4_000)}`]) {
      const parts = renderBlocks(
        localize(await slashCommandReply(core, actor("learner", "ana"), text, slash)),
      );
      expect(parts.flatMap(limitProblems), text).toEqual([]);
    }
  });

  it("given <!channel> typed as an argument, the reply shows it as text that notifies no one", async () => {
    const { core, actor } = await workspaceWithCohort();
    const reply = localize(
      await slashCommandReply(core, actor("learner", "ana"), "roadmap <!channel>", slash),
    );
    const [part] = renderBlocks(reply);
    expect(part?.text).toContain("&lt;!channel&gt;");
    expect(mentionProblems(mrkdwnTexts(part?.blocks ?? []))).toEqual([]);
  });

  it("given a reply cut inside an emoji upstream, sends U+FFFD rather than half a character", () => {
    const [part] = renderBlocks({ text: "near 🙂\ud83d..." });
    expect(part?.text).toBe("near 🙂\ufffd...");
  });
});
