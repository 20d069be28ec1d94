import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../../test/helpers.js";
import type { Curriculum } from "../../../core/curriculum/schema.js";
import { handleText } from "../../../core/dispatch.js";
import type { Message } from "../../../core/messages.js";
import type { Cohort } from "../../../core/ports.js";
import { TOTAL_WEEKS } from "../../../core/rules/schedule.js";
import {
  dailyQuestionPost,
  dailyResultsPost,
  modulePost,
  reminderPost,
} from "../../../core/services/post-content.js";
import { quizMessage } from "../../../core/services/question-message.js";
import { loadCurriculum } from "../../../curriculum/load.js";
import { defaultCurriculumDir } from "../../../paths.js";
import { limitProblems } from "./check.js";
import { type DiscordPayload, parseCustomId, renderMessage } from "./message.js";

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
  channelExternalId: "123456789012345678",
  status: "active",
  streakUnit: "week",
  createdAt: new Date("2026-03-01T00:00:00Z"),
};

const words = (text: string) => new Set(text.match(/[\p{L}\p{N}]+/gu) ?? []);

function messageWords(message: Message): Set<string> {
  const parts = [
    message.title,
    message.text,
    ...(message.fields ?? []).flatMap((f) => [f.name, f.value]),
    ...(message.sections ?? []).flatMap((s) => [s.heading, s.text]),
    message.footer,
    ...(message.choices ?? []).map((c) => c.label),
  ];
  return words(parts.filter(Boolean).join("\n"));
}

function payloadWords(payloads: readonly DiscordPayload[]): Set<string> {
  const parts = payloads.flatMap((p) => [
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
  ]);
  return words(parts.join("\n"));
}

/** Discord would accept every payload, and no word of the message (choices too) went missing on the way. */
function expectRenderable(label: string, message: Message): DiscordPayload[] {
  const payloads = renderMessage(message, { ephemeral: message.visibility === "private" });
  expect(payloads.flatMap(limitProblems), label).toEqual([]);
  const shown = payloadWords(payloads);
  expect(
    [...messageWords(message)].filter((word) => !shown.has(word)),
    label,
  ).toEqual([]);
  return payloads;
}

describe("Discord rendering of the real curriculum and commands", () => {
  it("given every quiz item, each choice becomes a button whose custom_id runs its /answer line", () => {
    const { bank } = curriculum();
    expect(bank.items.length).toBeGreaterThan(0);
    for (const item of bank.items) {
      const message = quizMessage(item, `Question · week ${item.week} · ${item.id}`);
      const payloads = expectRenderable(item.id, message);
      const buttons = payloads.flatMap((p) => p.components.flatMap((row) => row.components));
      const lines = buttons.map((b) => ("custom_id" in b ? parseCustomId(b.custom_id)?.line : undefined));
      expect(lines, item.id).toEqual((message.choices ?? []).map((choice) => choice.id));
    }
  });

  it("given every scheduled post, each renders within Discord's limits and a module post is one embed", () => {
    const data = curriculum();
    for (let week = 1; week <= TOTAL_WEEKS; week++) {
      const [post, ...more] = expectRenderable(`module ${week}`, modulePost(data, cohort, week));
      expect(more, `module ${week}`).toEqual([]);
      expect(post?.embeds, `module ${week}`).toHaveLength(1);
      expect(post?.components.length, `module ${week}`).toBeGreaterThan(0);
      expectRenderable(`reminder ${week}`, reminderPost(data, cohort, week));
    }
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
      if (reply) expectRenderable(line, reply);
    };
    await run("mod", "/cohort create spring 2026-03-02 Europe/Berlin");
    await run("ana", "/cohort join spring");
    await run("ana", "/track join dba");
    const lines = [
      ...core.commands
        .flatMap((command) => command.examples ?? [])
        .filter((line) => !line.startsWith("/submit")),
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
});
