import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { realCurriculum, testCore } from "../../../test/helpers.js";
import {
  actorFor,
  anyLine,
  expectationFor,
  expectationProblems,
  hasLoneSurrogate,
  hostileLine,
  knownValues,
  type LineExpectation,
} from "../../../test/hostile-input.js";
import { commands } from "../../core/commands/registry.js";
import type { Core } from "../../core/dispatch.js";
import { replyTo } from "./chat.js";
import { LOCAL_MODERATOR, readLine } from "./events/line.js";
import { renderMessage } from "./render/text.js";

/** A terminal obeys control characters (clear the screen, recolour, retitle): only layout ones may pass. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this does.
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A chat where the local moderator runs a cohort with a channel, and ana has joined it and a track. */
async function chatWithCohort(): Promise<Core> {
  const { core } = testCore();
  for (const line of [
    "/cohort create spring 2026-03-02",
    "/schedule channel",
    "@ana /cohort join spring",
    "@ana /track join dba",
  ]) {
    await replyTo(core, line);
  }
  return core;
}

const local = { space: "local", channel: "local" };

/** The terminal's own reading of a raw line, then the core's: what the reply must be. */
function expectationOf(raw: string): LineExpectation {
  const line = readLine(raw);
  if (line.kind === "skip") return { kind: "nothing" };
  if (line.kind === "bad-speaker") return { kind: "error", mentions: [] };
  const role = line.user === LOCAL_MODERATOR ? "moderator" : "learner";
  return expectationFor(line.text, actorFor("terminal", role, line.user, local), commands);
}

async function replyProblems(core: Core, raw: string): Promise<string[]> {
  const reply = await replyTo(core, raw);
  const problems = expectationProblems(expectationOf(raw), reply);
  if (!reply) return problems;
  const shown = renderMessage(reply, { color: false });
  // Colour on must not fail either; its escapes are the renderer's own, so only plain text is scanned.
  renderMessage(reply, { color: true });
  const control = controlCharacter.exec(shown);
  if (control) problems.push(`control character U+${control[0].charCodeAt(0).toString(16)} on screen`);
  if (hasLoneSurrogate(shown)) problems.push("half a surrogate pair on screen");
  return problems;
}

/** The line as someone types it: as the local moderator, or speaking as a learner with @name. */
const speakers = fc.constantFrom(LOCAL_MODERATOR, "ana", "bo", "Ana.B-2");
const spoken = (speaker: string, line: string) =>
  speaker === LOCAL_MODERATOR ? line : `@${speaker} ${line}`;

describe("the terminal chat under hostile input", () => {
  const known = knownValues(realCurriculum(), "terminal");

  it.each(commands.map((command) => [command.name, command] as const))(
    "given /%s with hostile arguments from learners and the moderator, replies well formed and in plain text",
    async (_name, command) => {
      const core = await chatWithCohort();
      await fc.assert(
        fc.asyncProperty(speakers, hostileLine(command, known), async (speaker, line) => {
          const raw = spoken(speaker, line);
          expect(await replyProblems(core, raw), JSON.stringify(raw)).toEqual([]);
        }),
        { numRuns: 50 },
      );
    },
  );

  it("given any line at all, including comments, bad speaker names and raw garbage, never fails", async () => {
    const core = await chatWithCohort();
    const raw = fc.oneof(
      fc.tuple(speakers, anyLine(commands, known)).map(([speaker, line]) => spoken(speaker, line)),
      anyLine(commands, known).map((line) => `@${line}`),
      anyLine(commands, known).map((line) => `# ${line}`),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (line) => {
        expect(await replyProblems(core, line), JSON.stringify(line)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("given a line whose echo holds escape sequences, shows them as symbols and sends the terminal no ESC", async () => {
    const { core } = testCore();
    const reply = await replyTo(core, "/roadmap \u001b[2J\u001b]0;pwned\u0007");
    const shown = renderMessage(reply ?? {}, { color: false });
    expect(shown).toContain("␛[2J␛]0;pwned␇");
    expect(shown.includes("\u001b")).toBe(false);
  });

  it("given a reply cut inside an emoji upstream, shows U+FFFD rather than half a character", () => {
    expect(renderMessage({ text: "near 🙂\ud83d..." }, { color: false })).toBe("near 🙂\ufffd...");
  });
});
