import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { actionOf } from "../../../../test/actions.js";
import { commands } from "../../../core/commands/registry.js";
import type { Choice, LinkButton, Message } from "../../../core/messages.js";
import {
  emptyReply,
  isLinkAction,
  parseAction,
  renderBlocks,
  type SlackMessagePart,
  uploadsOf,
} from "./blocks.js";
import { limitProblems } from "./check.js";

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const paragraph = (n: number) => "Indexes trade write cost for read speed. ".repeat(n).trim();
const within = (parts: SlackMessagePart[]) => parts.flatMap(limitProblems);
const blocks = (message: Message) => renderBlocks(message).flatMap((part) => part.blocks);
const choices = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ action: actionOf(`/answer w1-q1 c${i}`), label: `Choice ${i}` }));
const links = (n: number): LinkButton[] =>
  Array.from({ length: n }, (_, i) => ({ label: `Doc ${i}`, url: `https://example.org/doc/${i}` }));
const buttons = (list: KnownBlock[]) =>
  list.flatMap((b) => (b.type === "actions" ? b.elements.filter((e) => e.type === "button") : []));
const sectionTexts = (list: KnownBlock[]) =>
  list.flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));

describe("Slack Block Kit rendering", () => {
  it("given a full message, renders header, progress, text, fields, sections, buttons and footer in order", () => {
    const parts = renderBlocks({
      title: "Week 3 · Joins",
      progress: { current: 3, total: 20, label: "spring" },
      text: "# Today\nJoin **two** tables.",
      fields: [
        { name: "Engine", value: "PostgreSQL", inline: true },
        { name: "Week", value: "3", inline: true },
      ],
      sections: [{ heading: "Hands-on", text: "- Write a join" }],
      choices: [
        { action: actionOf("/answer w3-q1 a"), label: "A. Yes" },
        {
          action: actionOf("/submit sql-x"),
          label: "Submit a query",
          style: "primary",
          input: { title: "X", label: "Your SQL", multiline: true },
        },
      ],
      links: [{ label: "Docs", url: "https://www.postgresql.org/docs/" }],
      footer: "Next: `/week 4`",
    });
    expect(parts).toHaveLength(1);
    expect(parts[0]?.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Week 3 · Joins" } },
      { type: "context", elements: [{ type: "mrkdwn", text: "▰▰▱▱▱▱▱▱▱▱▱▱ 3/20 · spring" }] },
      { type: "section", text: { type: "mrkdwn", text: "*Today*\nJoin *two* tables." } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Engine*\nPostgreSQL" },
          { type: "mrkdwn", text: "*Week*\n3" },
        ],
      },
      { type: "section", text: { type: "mrkdwn", text: "*Hands-on*\n• Write a join" } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "quorum:run:0",
            text: { type: "plain_text", text: "A. Yes" },
            value: "/answer w3-q1 a",
          },
          {
            type: "button",
            action_id: "quorum:ask:1",
            text: { type: "plain_text", text: "Submit a query" },
            value: "/submit sql-x",
            style: "primary",
          },
        ],
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "link:0",
            text: { type: "plain_text", text: "Docs" },
            url: "https://www.postgresql.org/docs/",
          },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "Next: `/week 4`" }] },
    ]);
    expect(parts[0]?.text).toBe(
      [
        "*Week 3 · Joins*",
        "▰▰▱▱▱▱▱▱▱▱▱▱ 3/20 · spring",
        "*Today*\nJoin *two* tables.",
        "*Engine*\nPostgreSQL\n*Week*\n3",
        "*Hands-on*\n• Write a join",
        "A. Yes · Submit a query",
        "<https://www.postgresql.org/docs/|Docs>",
        "Next: `/week 4`",
      ].join("\n\n"),
    );
    expect(within(parts)).toEqual([]);
  });

  it("given a tone, leads the text with its emoji, else the title, else the footer; info has none", () => {
    const first = (message: Message) => renderBlocks(message)[0]?.text.split("\n")[0];
    expect(first({ text: "Saved.", tone: "success" })).toBe("✅ Saved.");
    expect(first({ text: "Careful.", tone: "warning" })).toBe("⚠️ Careful.");
    expect(first({ text: "No such week.", tone: "error" })).toBe("❌ No such week.");
    expect(first({ text: "Hello.", tone: "info" })).toBe("Hello.");
    expect(blocks({ title: "Done", tone: "success" })[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "✅ Done" },
    });
    expect(blocks({ footer: "Paused", tone: "warning" })).toEqual([
      { type: "context", elements: [{ type: "mrkdwn", text: "⚠️ Paused" }] },
    ]);
  });

  it("given a title past 150 characters, clips the header and leads the text with the whole title", () => {
    const title = `Week 9 ${"word ".repeat(40)}end`;
    const [header, section] = blocks({ title, text: "Body" });
    expect(header?.type === "header" && header.text.text.length).toBe(150);
    expect(header?.type === "header" && header.text.text.endsWith("…")).toBe(true);
    expect(section?.type === "section" && section.text?.text).toBe(`*${title}*\nBody`);
  });

  it("given text past 3000 characters, continues it in further sections cut between paragraphs", () => {
    const text = Array.from({ length: 4 }, () => paragraph(30)).join("\n\n");
    const texts = sectionTexts(blocks({ text }));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= 3000)).toBe(true);
    expect(texts.join("\n\n")).toBe(text);
  });

  it("given a long code block, never leaves a section with a code block open", () => {
    const code = Array.from({ length: 200 }, (_, i) => `SELECT ${i} AS n FROM t WHERE x < ${i};`).join("\n");
    const parts = renderBlocks({ text: `Intro\n\`\`\`sql\n${code}\n\`\`\`\nOutro` });
    expect(within(parts)).toEqual([]);
    const texts = sectionTexts(parts.flatMap((p) => p.blocks));
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.split("\n").filter((l) => l.startsWith("```")).length % 2).toBe(0);
  });

  it("given inline fields, sets ten side by side per section; long or block fields get sections of their own", () => {
    const short = Array.from({ length: 12 }, (_, i) => ({ name: `F${i}`, value: "v", inline: true }));
    const list = blocks({
      fields: [
        ...short,
        { name: "Why", value: "Because.", inline: false },
        { name: "Long", value: paragraph(60), inline: true },
        { name: "Last", value: "x", inline: true },
      ],
    });
    expect(list.map((b) => (b.type === "section" ? (b.fields?.length ?? "text") : b.type))).toEqual([
      10,
      2,
      "text",
      "text",
      1,
    ]);
    expect(sectionTexts(list)[0]).toBe("*Why*\nBecause.");
    expect(sectionTexts(list)[1]?.startsWith("*Long*\nIndexes")).toBe(true);
  });

  it("given choices, each button's action id is unique and its value reads back as the action", () => {
    const twin = { action: actionOf("/quiz"), label: "Again" };
    const list = buttons(
      blocks({ choices: [twin, twin, { ...twin, input: { title: "T", label: "L", multiline: false } }] }),
    );
    expect(list.map((b) => b.action_id)).toEqual(["quorum:run:0", "quorum:run:1", "quorum:ask:2"]);
    expect(list.map((b) => b.value)).toEqual(["/quiz", "/quiz", "/quiz"]);
    const quiz = { command: "quiz", args: {} };
    expect(list.map((b) => parseAction(b.action_id ?? "", b.value ?? "", commands))).toEqual([
      { mode: "run", action: quiz },
      { mode: "run", action: quiz },
      { mode: "ask", action: quiz },
    ]);
  });

  it("given an action that is not one of ours, a tampered value or an empty one, parseAction gives nothing", () => {
    expect(parseAction("quorum:run:3", "/answer w3-q2 b", commands)).toEqual({
      mode: "run",
      action: { command: "answer", args: { question: "w3-q2", choice: "b" } },
    });
    expect(parseAction("quorum:run:3", " ", commands)).toBeUndefined();
    expect(parseAction("quorum:run:3", "", commands)).toBeUndefined();
    expect(parseAction("quorum:run:3", "/answer w3-q2 b c", commands)).toBeUndefined();
    expect(parseAction("quorum:run:3", '/answer "w3 q2" b', commands)).toBeUndefined();
    expect(parseAction("quorum:run:3", "/frobnicate", commands)).toBeUndefined();
    expect(parseAction("quorum:run:3", `/submit ${"x".repeat(2000)}`, commands)).toBeUndefined();
    expect(parseAction("quorum:jump:3", "/quiz", commands)).toBeUndefined();
    expect(parseAction("link:0", "", commands)).toBeUndefined();
    expect(parseAction("other", "/quiz", commands)).toBeUndefined();
    expect(isLinkAction("link:0")).toBe(true);
    expect(isLinkAction("quorum:run:0")).toBe(false);
  });

  it("given danger and secondary choices, styles only the danger one", () => {
    const list = buttons(
      blocks({
        choices: [{ action: actionOf("/track leave"), label: "Leave", style: "danger" }, ...choices(1)],
      }),
    );
    expect(list.map((b) => b.style)).toEqual(["danger", undefined]);
  });

  it("given 30 choices, puts 25 buttons in one actions block and the rest in the next", () => {
    const list = blocks({ text: "Pick", choices: choices(30) });
    const actions = list.filter((b) => b.type === "actions");
    expect(actions.map((b) => (b.type === "actions" ? b.elements.length : 0))).toEqual([25, 5]);
    expect(new Set(buttons(list).map((b) => b.action_id)).size).toBe(30);
  });

  it("given a long choice label, clips the button at 75 with an ellipsis and lists every choice in full", () => {
    const long =
      "A. Changing the squash fee means updating every squash row, and missing one leaves two fees";
    const list = blocks({
      text: "Which problems does that cause?",
      choices: [
        { action: actionOf("/answer w03-anomalies a"), label: long },
        { action: actionOf("/answer w03-anomalies b"), label: "B. Rows" },
      ],
    });
    const [first] = buttons(list);
    expect(first?.text.text).toHaveLength(75);
    expect(first?.text.text.endsWith("…")).toBe(true);
    expect(sectionTexts(list)).toContain(`*Choices*\n• ${long}\n• B. Rows`);
    expect(sectionTexts(blocks({ text: "Short", choices: choices(2) }))).toEqual(["Short"]);
  });

  it("given an action too long for a button's value, leaves that button out and lists the choices", () => {
    const long = actionOf(`/answer ${"x".repeat(2000)}`);
    const list = blocks({ choices: [{ action: long, label: "Long" }, ...choices(1)] });
    expect(buttons(list).map((b) => b.text.text)).toEqual(["Choice 0"]);
    expect(buttons(list)[0]?.action_id).toBe("quorum:run:1");
    expect(sectionTexts(list)).toEqual(["*Choices*\n• Long\n• Choice 0"]);
  });

  it("given links, makes URL buttons whose ids the choice handler ignores; the ones it cannot show are listed", () => {
    const odd = [
      { label: "Mail", url: "mailto:someone@example.org" },
      { label: "Broken", url: "not a url" },
    ];
    const list = blocks({ links: [...links(27), ...odd] });
    const urls = buttons(list);
    expect(urls).toHaveLength(25);
    expect(urls.every((b) => isLinkAction(b.action_id ?? "") && b.url?.startsWith("https://"))).toBe(true);
    expect(sectionTexts(list)).toEqual([
      "*Links*\n• <https://example.org/doc/25|Doc 25>\n• <https://example.org/doc/26|Doc 26>\n" +
        "• <mailto:someone@example.org|Mail>\n• Broken (not a url)",
    ]);
  });

  it("given pictures and files, leaves the bytes out of the blocks, says they follow, and hands them over", () => {
    const data = new TextEncoder().encode("a,b\n");
    const message: Message = {
      title: "Leaderboard",
      text: "1. ana 40",
      images: [{ alt: "Bars: ana 40", name: "board.png", png }],
      files: [{ name: "cohort.csv", mimeType: "text/csv", data }],
    };
    const list = blocks(message);
    expect(list.some((b) => b.type === "image" || b.type === "file")).toBe(false);
    expect(list.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "🖼️ A picture follows: Bars: ana 40\n📎 cohort.csv follows." }],
    });
    expect(uploadsOf(message)).toEqual([
      { name: "board.png", data: png, alt: "Bars: ana 40" },
      { name: "cohort.csv", data, alt: "" },
    ]);
    expect(uploadsOf({ text: "x" })).toEqual([]);
  });

  it("given a picture still drawing, says a picture follows and hands over no bytes yet", () => {
    const message: Message = {
      title: "Leaderboard",
      text: "1. ana 40",
      images: [],
      picturesLater: new Promise(() => {}),
    };
    expect(blocks(message).at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "🖼️ A picture follows." }],
    });
    expect(uploadsOf(message)).toEqual([]);
  });

  it("given more than 50 blocks, splits into several messages in reading order with buttons and footer last", () => {
    const sections = Array.from({ length: 60 }, (_, i) => ({ heading: `Topic ${i}`, text: "Short." }));
    const parts = renderBlocks({ title: "Week 7", sections, choices: choices(2), footer: "Next: /week 8" });
    expect(parts.length).toBeGreaterThan(1);
    expect(within(parts)).toEqual([]);
    const all = parts.flatMap((p) => p.blocks);
    expect(sectionTexts(all)).toEqual(sections.map((s) => `*${s.heading}*\nShort.`));
    for (const part of parts.slice(0, -1)) {
      expect(part.blocks.some((b) => b.type === "actions" || b.type === "context")).toBe(false);
    }
    expect(
      parts
        .at(-1)
        ?.blocks.slice(-2)
        .map((b) => b.type),
    ).toEqual(["actions", "context"]);
    expect(parts.at(-1)?.text.endsWith("Next: /week 8")).toBe(true);
  });

  it("given long sections that pass Slack's size for one message's blocks, splits before it", () => {
    const sections = Array.from({ length: 8 }, (_, i) => ({ heading: `Part ${i}`, text: paragraph(60) }));
    const parts = renderBlocks({ sections });
    expect(parts.length).toBeGreaterThan(1);
    expect(within(parts)).toEqual([]);
    expect(parts.every((p) => JSON.stringify(p.blocks).length <= 12_000)).toBe(true);
  });

  it("given an empty message, still renders text and a block Slack accepts", () => {
    expect(renderBlocks({})).toEqual([
      { text: emptyReply, blocks: [{ type: "section", text: { type: "mrkdwn", text: emptyReply } }] },
    ]);
    expect(renderBlocks({ title: "  ", text: "\n" })[0]?.text).toBe(emptyReply);
    expect(renderBlocks({ tone: "success" })[0]?.text).toBe(`✅ ${emptyReply}`);
    expect(within(renderBlocks({}))).toEqual([]);
  });

  it("given only buttons, renders them with their labels as the fallback text", () => {
    const [part, ...rest] = renderBlocks({ choices: choices(2) });
    expect(rest).toEqual([]);
    expect(part?.blocks.map((b) => b.type)).toEqual(["actions"]);
    expect(part?.text).toBe("Choice 0 · Choice 1");
  });
});
