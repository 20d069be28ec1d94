import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../../test/helpers.js";
import type { Curriculum } from "../../../core/curriculum/schema.js";
import { handleText } from "../../../core/dispatch.js";
import type { Message } from "../../../core/messages.js";
import type { Cohort } from "../../../core/ports.js";
import { TOTAL_WEEKS } from "../../../core/rules/schedule.js";
import { learnerHome } from "../../../core/services/home.js";
import {
  dailyQuestionPost,
  dailyResultsPost,
  modulePost,
  reminderPost,
  wrapUpPost,
} from "../../../core/services/post-content.js";
import { quizMessage } from "../../../core/services/question-message.js";
import { loadCurriculum } from "../../../curriculum/load.js";
import { defaultCurriculumDir } from "../../../paths.js";
import { parseAction, renderBlocks, type SlackMessagePart } from "./blocks.js";
import { limitProblems, viewProblems } from "./check.js";
import { homeView } from "./home.js";
import { modalView } from "./modal.js";

function curriculum(): Curriculum {
  const loaded = loadCurriculum(defaultCurriculumDir);
  if (!loaded.ok) throw new Error(`the curriculum does not load: ${JSON.stringify(loaded.errors[0])}`);
  return loaded.curriculum;
}

const cohort: Cohort = {
  id: 1,
  spaceId: 1,
  name: "spring",
  startDate: "2026-03-02",
  timezone: "Europe/Berlin",
  channelExternalId: "C0123ABCDE",
  status: "active",
  streakUnit: "week",
  createdAt: new Date("2026-03-01T00:00:00Z"),
};

/** Words as a reader sees them: entities read as their characters, a fence's language is no word. */
const words = (text: string) =>
  new Set(
    text
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .match(/[\p{L}\p{N}]+/gu) ?? [],
  );

function messageWords(message: Message): Set<string> {
  const parts = [
    message.title,
    message.text,
    ...(message.fields ?? []).flatMap((f) => [f.name, f.value]),
    ...(message.sections ?? []).flatMap((s) => [s.heading, s.text]),
    message.footer,
    ...(message.choices ?? []).map((c) => c.label),
    ...(message.links ?? []).map((l) => l.label),
  ];
  return words(
    parts
      .filter(Boolean)
      .join("\n")
      .replace(/^(\s*```)\S+/gm, "$1"),
  );
}

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

const missing = (expected: Set<string>, shown: string) => {
  const have = words(shown);
  return [...expected].filter((word) => !have.has(word));
};

/** Slack would accept every part, and no word went missing from the blocks or from the fallback text. */
function expectRenderable(label: string, message: Message): SlackMessagePart[] {
  const parts = renderBlocks(message);
  expect(parts.flatMap(limitProblems), label).toEqual([]);
  const expected = messageWords(message);
  const blocks = parts.flatMap((p) => p.blocks.flatMap(blockText)).join("\n");
  expect(missing(expected, blocks), `${label}: blocks`).toEqual([]);
  expect(missing(expected, parts.map((p) => p.text).join("\n")), `${label}: text`).toEqual([]);
  return parts;
}

const buttonLines = (parts: readonly SlackMessagePart[]) =>
  parts.flatMap((p) =>
    p.blocks.flatMap((block) =>
      block.type === "actions"
        ? block.elements.map((e) =>
            e.type === "button" && e.url === undefined
              ? parseAction(e.action_id ?? "", e.value ?? "")?.line
              : "url",
          )
        : [],
    ),
  );

describe("Slack rendering of the real curriculum and commands", () => {
  it("given every quiz item, each choice becomes a button that runs its /answer line", () => {
    const { bank } = curriculum();
    expect(bank.items.length).toBeGreaterThan(0);
    for (const item of bank.items) {
      const message = quizMessage(item, `Question · week ${item.week} · ${item.id}`);
      const parts = expectRenderable(item.id, message);
      expect(buttonLines(parts), item.id).toEqual((message.choices ?? []).map((choice) => choice.id));
    }
  });

  it("given every scheduled post, each renders within Slack's limits and a module post is one message", () => {
    const data = curriculum();
    for (let week = 1; week <= TOTAL_WEEKS; week++) {
      const [post, ...more] = expectRenderable(`module ${week}`, modulePost(data, cohort, week));
      expect(more, `module ${week}`).toEqual([]);
      expect(
        post?.blocks.some((b) => b.type === "actions"),
        `module ${week}`,
      ).toBe(true);
      expectRenderable(`reminder ${week}`, reminderPost(data, cohort, week));
    }
    expectRenderable(
      "wrap-up",
      wrapUpPost(cohort, { memberCount: 3, tracks: [{ trackId: "dba", members: 2 }] }, (id) => id),
    );
    for (const item of data.bank.items) {
      expectRenderable(`daily ${item.id}`, dailyQuestionPost(item, cohort, new Date("2026-03-04T18:00:00Z")));
      const tally = [
        { response: "a", correct: true, count: 3 },
        { response: "b", correct: false, count: 1 },
      ];
      expectRenderable(`results ${item.id}`, dailyResultsPost(item, tally));
    }
  });

  it("given every command's examples, every week and every challenge, the replies render within limits", async () => {
    const { core } = testCore("2026-03-18T09:00:00Z");
    const data = core.curriculum;
    const run = async (user: string, line: string) => {
      const reply = await handleText(core, actor(user), line);
      if (!reply) return;
      const parts = expectRenderable(line, reply);
      for (const choice of reply.choices ?? []) {
        if (!choice.input) continue;
        const form = modalView({ line: choice.id, ...choice.input, channelId: "C0123ABCDE" });
        expect(viewProblems(form), line).toEqual([]);
      }
      expect(
        buttonLines(parts).filter((l) => l !== "url"),
        line,
      ).toEqual((reply.choices ?? []).map((choice) => choice.id));
    };
    await run("mod", "/cohort create spring 2026-03-02 Europe/Berlin");
    await run("ana", "/cohort join spring");
    await run("ana", "/track join dba");
    const lines = [
      ...core.commands.flatMap((command) => command.examples ?? []).filter((l) => !l.startsWith("/submit")),
      ...Array.from({ length: TOTAL_WEEKS }, (_, i) => `/week ${i + 1}`),
      ...data.weeks.flatMap((w) =>
        w.lanes.length > 1 ? w.lanes.map((l) => `/week ${w.week} ${l.lane}`) : [],
      ),
      ...data.bank.challenges.map((challenge) => `/challenge ${challenge.id}`),
      ...data.tracks.map((track) => `/track show ${track.id}`),
      ...core.commands.map((command) => `/help ${command.name}`),
    ];
    const forModerators = new Set(
      core.commands.filter((c) => c.audience === "moderator").flatMap((c) => c.examples ?? []),
    );
    for (const line of lines) await run(forModerators.has(line) ? "mod" : "ana", line);
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
