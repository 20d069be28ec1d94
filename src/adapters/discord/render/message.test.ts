import type {
  InteractionEditReplyOptions,
  InteractionReplyOptions,
  MessageCreateOptions,
  WebhookMessageCreateOptions,
} from "discord.js";
import { MessageFlags } from "discord.js";
import { describe, expect, it } from "vitest";
import { actionOf } from "../../../../test/actions.js";
import type { Message } from "../../../core/messages.js";
import { limitProblems } from "./check.js";
import { embedLength, toneColours } from "./embeds.js";
import { type ChannelPayload, emptyReply, type ReplyPayload, renderMessage } from "./message.js";

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const paragraph = (n: number) => `${"Indexes trade write cost for read speed. ".repeat(n).trim()}`;
const within = (payloads: ReplyPayload[]) => payloads.flatMap(limitProblems);

describe("Discord message rendering", () => {
  it("given a full message, renders one embed with title, progress, text, fields, footer and buttons", () => {
    const [payload, ...rest] = renderMessage({
      title: "Week 3 · Joins",
      progress: { current: 3, total: 20, label: "spring" },
      text: "# Today\nJoin **two** tables.",
      tone: "success",
      fields: [
        { name: "Engine", value: "PostgreSQL", inline: true },
        { name: "Week", value: "3", inline: true },
      ],
      sections: [{ heading: "Hands-on", text: "- Write a join" }],
      choices: [{ action: actionOf("/answer w3-q1 a"), label: "A. Yes" }],
      links: [{ label: "Docs", url: "https://www.postgresql.org/docs/" }],
      footer: "Next: `/week 4`",
    });
    expect(rest).toEqual([]);
    expect(payload?.embeds).toEqual([
      {
        color: toneColours.success,
        title: "Week 3 · Joins",
        description: "▰▰▱▱▱▱▱▱▱▱▱▱ 3/20 · spring\n**Today**\nJoin **two** tables.",
        fields: [
          { name: "Engine", value: "PostgreSQL", inline: true },
          { name: "Week", value: "3", inline: true },
          { name: "Hands-on", value: "- Write a join" },
        ],
        footer: { text: "Next: /week 4" },
      },
    ]);
    expect(payload?.components.map((row) => row.components.length)).toEqual([1, 1]);
    expect(payload?.allowedMentions).toEqual({ parse: [] });
    expect(payload).not.toHaveProperty("flags");
    expect(payload).not.toHaveProperty("content");
  });

  it("given each tone, colours the embed by it, info when none is given", () => {
    const colour = (message: Message) => renderMessage(message)[0]?.embeds[0]?.color;
    expect(colour({ text: "x" })).toBe(toneColours.info);
    expect(colour({ text: "x", tone: "warning" })).toBe(toneColours.warning);
    expect(colour({ text: "x", tone: "error" })).toBe(toneColours.error);
    expect(new Set(Object.values(toneColours)).size).toBe(4);
  });

  it("given a title and footer past Discord's limits, clips them", () => {
    const [payload] = renderMessage({ title: "T".repeat(300), text: "x", footer: "F".repeat(2100) });
    const embed = payload?.embeds[0];
    expect(embed?.title).toHaveLength(256);
    expect(embed?.title?.endsWith("…")).toBe(true);
    expect(embed?.footer?.text).toHaveLength(2048);
  });

  it("given a field value past 1024 characters, continues it in unnamed fields", () => {
    const [payload] = renderMessage({
      fields: [{ name: "Why", value: `${paragraph(20)}\n\n${paragraph(20)}` }],
    });
    const fields = payload?.embeds[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(["Why", "\u200b"]);
    expect(fields.every((f) => f.value.length <= 1024)).toBe(true);
  });

  it("given a section too long for a field, gives every section an embed of its own in order", () => {
    const [payload] = renderMessage({
      title: "Week 9",
      text: "Intro",
      sections: [
        { heading: "Short", text: "One line." },
        { heading: "Long", text: paragraph(30) },
      ],
    });
    expect(payload?.embeds.map((e) => [e.title, e.description?.slice(0, 9)])).toEqual([
      ["Week 9", "Intro"],
      ["Short", "One line."],
      ["Long", "Indexes t"],
    ]);
  });

  it("given a text longer than one description, continues it in untitled embeds", () => {
    const text = Array.from({ length: 8 }, () => paragraph(20)).join("\n\n");
    const embeds = renderMessage({ title: "Long", text }).flatMap((payload) => payload.embeds);
    expect(embeds.length).toBe(2);
    expect(embeds[0]?.title).toBe("Long");
    expect(embeds[1]).not.toHaveProperty("title");
    expect(embeds.map((e) => e.description).join("\n\n")).toBe(text);
  });

  it("given more than a message holds, splits into several in reading order with buttons and files last", () => {
    const sections = Array.from({ length: 14 }, (_, i) => ({ heading: `Topic ${i}`, text: paragraph(30) }));
    const payloads = renderMessage({
      title: "Week 7",
      text: "Replication",
      sections,
      choices: [{ action: actionOf("/quiz 7"), label: "Quiz me" }],
      images: [{ alt: "A chart", name: "chart.png", png }],
      footer: "Next: /week 8",
    });
    expect(payloads.length).toBeGreaterThan(1);
    expect(within(payloads)).toEqual([]);
    const titles = payloads.flatMap((p) => p.embeds.map((e) => e.title));
    expect(titles).toEqual(["Week 7", ...sections.map((s) => s.heading)]);
    for (const payload of payloads.slice(0, -1)) {
      expect(payload.components).toEqual([]);
      expect(payload.files).toEqual([]);
      expect(payload.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
    }
    const last = payloads.at(-1);
    expect(last?.components).toHaveLength(1);
    expect(last?.files.map((f) => f.name)).toEqual(["chart.png"]);
    expect(last?.embeds.at(-1)?.footer?.text).toBe("Next: /week 8");
  });

  it("given more than ten embeds' worth of short parts, starts a new message at the eleventh", () => {
    const fields = Array.from({ length: 26 * 10 }, (_, i) => ({ name: `F${i}`, value: "v" }));
    const payloads = renderMessage({ fields });
    expect(payloads.map((p) => p.embeds.length)).toEqual([10, 1]);
    expect(within(payloads)).toEqual([]);
  });

  it("given pictures and files, attaches them with alt text and shows the first picture in the last embed", () => {
    const [payload] = renderMessage({
      title: "Leaderboard",
      text: "1. ana 40",
      images: [
        { alt: "Bars: ana 40", name: "board week 3.png", png },
        { alt: "", name: "board week 3.png", png },
      ],
      files: [{ name: "cohort.csv", mimeType: "text/csv", data: new TextEncoder().encode("a,b\n") }],
    });
    expect(payload?.files.map((f) => [f.name, f.description, f.attachment.toString("hex")])).toEqual([
      ["board-week-3.png", "Bars: ana 40", "89504e47"],
      ["board-week-3-2.png", undefined, "89504e47"],
      ["cohort.csv", undefined, "612c620a"],
    ]);
    expect(payload?.embeds.at(-1)?.image).toEqual({ url: "attachment://board-week-3.png" });
  });

  it("given more than ten attachments, attaches ten and names the rest in the text", () => {
    const files = Array.from({ length: 12 }, (_, i) => ({
      name: `f${i}.csv`,
      mimeType: "text/csv",
      data: png,
    }));
    const [payload] = renderMessage({ text: "Exports", files });
    expect(payload?.files).toHaveLength(10);
    expect(payload?.embeds.at(-1)?.fields?.at(-1)).toEqual({
      name: "Not attached (too many files)",
      value: "f10.csv, f11.csv",
    });
  });

  it("given more links than buttons can hold, lists the dropped ones in the embed", () => {
    const links = Array.from({ length: 7 }, (_, i) => ({
      label: `Doc ${i}`,
      url: `https://example.org/${i}`,
    }));
    const choices = Array.from({ length: 20 }, (_, i) => ({
      action: actionOf(`/answer q ${i}`),
      label: `${i}`,
    }));
    const [payload] = renderMessage({ text: "Read on", choices, links });
    expect(payload?.components).toHaveLength(5);
    expect(payload?.embeds[0]?.fields).toEqual([
      { name: "Links", value: "- [Doc 5](https://example.org/5)\n- [Doc 6](https://example.org/6)" },
    ]);
  });

  it("given a choice too long for a button label, lists every choice in full in the embed", () => {
    const long =
      "A. Changing the squash fee means updating every squash row, and missing one leaves two fees";
    const [payload] = renderMessage({
      text: "Which problems does that cause?",
      choices: [
        { action: actionOf("/answer w03-anomalies a"), label: long },
        { action: actionOf("/answer w03-anomalies b"), label: "B. Rows come back in any order" },
      ],
    });
    expect(payload?.embeds[0]?.fields).toEqual([
      { name: "Choices", value: `- ${long}\n- B. Rows come back in any order` },
    ]);
    expect(payload?.components[0]?.components.map((b) => ("label" in b ? b.label?.length : 0))).toEqual([
      80, 30,
    ]);
  });

  it("given a module post, renders an embed with a link row", () => {
    const [payload, ...rest] = renderMessage({
      title: "Week 2 of 20 · Modelling",
      text: "**spring**, a new week starts.",
      sections: [{ heading: "Keys", text: "- Primary keys\n- Hands-on: *Draw it*" }],
      links: [{ label: "Normal forms", url: "https://example.org/nf" }],
      progress: { current: 2, total: 20, label: "spring" },
      footer: "Read the whole module with /week 2",
    });
    expect(rest).toEqual([]);
    expect(payload?.embeds).toHaveLength(1);
    expect(payload?.components).toEqual([
      {
        type: 1,
        components: [{ type: 2, style: 5, label: "Normal forms", url: "https://example.org/nf" }],
      },
    ]);
  });

  it("given ephemeral, flags every payload; without it, none carries flags", () => {
    const sections = Array.from({ length: 12 }, (_, i) => ({ heading: `S${i}`, text: paragraph(30) }));
    const privately = renderMessage({ sections }, { ephemeral: true });
    expect(privately.length).toBeGreaterThan(1);
    expect(privately.every((p) => p.flags === MessageFlags.Ephemeral)).toBe(true);
    expect(renderMessage({ sections }).some((p) => "flags" in p)).toBe(false);
    expect(renderMessage({ sections }, { ephemeral: false }).some((p) => "flags" in p)).toBe(false);
  });

  it("given an empty message, still renders something Discord accepts", () => {
    const payloads = renderMessage({});
    expect(payloads).toEqual([
      { content: emptyReply, embeds: [], components: [], files: [], allowedMentions: { parse: [] } },
    ]);
    expect(within(payloads)).toEqual([]);
    expect(renderMessage({ title: "  ", text: "\n" })[0]?.content).toBe(emptyReply);
  });

  it("given only buttons, renders them without an empty embed", () => {
    const [payload] = renderMessage({ choices: [{ action: actionOf("/quiz"), label: "Again" }] });
    expect(payload?.embeds).toEqual([]);
    expect(payload).not.toHaveProperty("content");
    expect(payload?.components).toHaveLength(1);
  });

  it("given payloads, they type-check for every way discord.js sends, the ephemeral ones only for replies", () => {
    const channel: ChannelPayload[] = renderMessage({ text: "hi" });
    const reply: ReplyPayload[] = renderMessage({ text: "hi" }, { ephemeral: true });
    const send: MessageCreateOptions[] = channel;
    const edit: InteractionEditReplyOptions[] = channel;
    const webhook: WebhookMessageCreateOptions[] = channel;
    const replies: InteractionReplyOptions[] = [...channel, ...reply];
    // @ts-expect-error channel.send refuses the ephemeral flag, so its type must too
    const wrong: MessageCreateOptions[] = reply;
    expect([send, edit, webhook, replies, wrong].every((list) => list.length > 0)).toBe(true);
  });
});
