import { ButtonStyle, ComponentType } from "discord.js";
import { describe, expect, it } from "vitest";
import { actionOf } from "../../../../test/actions.js";
import type { Choice, LinkButton } from "../../../core/messages.js";
import { buttonLayout } from "./components.js";

const choices = (n: number): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ action: actionOf(`/answer w1-q1 c${i}`), label: `Choice ${i}` }));
const links = (n: number): LinkButton[] =>
  Array.from({ length: n }, (_, i) => ({ label: `Doc ${i}`, url: `https://example.org/doc/${i}` }));
const labels = (layout: ReturnType<typeof buttonLayout>) =>
  layout.rows.map((row) => row.components.map((button) => ("label" in button ? button.label : "")));

describe("Discord buttons", () => {
  it("given a plain choice, its button runs the action; given one with input, it asks first", () => {
    const { rows } = buttonLayout(
      [
        { action: actionOf("/answer w3-q2 b"), label: "B. A join" },
        {
          action: actionOf("/submit sql-x"),
          label: "Submit a query",
          style: "primary",
          input: { title: "X", label: "Your SQL", multiline: true },
        },
      ],
      [],
    );
    expect(rows).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: "B. A join",
            custom_id: "run:/answer w3-q2 b",
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: "Submit a query",
            custom_id: "ask:/submit sql-x",
          },
        ],
      },
    ]);
  });

  it("given a danger choice, styles it so", () => {
    const { rows } = buttonLayout(
      [{ action: actionOf("/track leave"), label: "Leave", style: "danger" }],
      [],
    );
    expect(rows[0]?.components[0]?.style).toBe(ButtonStyle.Danger);
  });

  it("given seven choices and three links, lays out five per row with links on a row of their own", () => {
    const layout = buttonLayout(choices(7), links(3));
    expect(labels(layout)).toEqual([
      ["Choice 0", "Choice 1", "Choice 2", "Choice 3", "Choice 4"],
      ["Choice 5", "Choice 6"],
      ["Doc 0", "Doc 1", "Doc 2"],
    ]);
    expect(layout.rows[2]?.components[0]).toEqual({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: "Doc 0",
      url: "https://example.org/doc/0",
    });
    expect(layout.unplacedLinks).toEqual([]);
  });

  it("given more buttons than five rows hold, drops from the end and hands the dropped links back", () => {
    const layout = buttonLayout(choices(18), links(9));
    expect(layout.rows).toHaveLength(5);
    expect(layout.rows.map((row) => row.components.length)).toEqual([5, 5, 5, 3, 5]);
    expect(labels(layout)[4]).toEqual(["Doc 0", "Doc 1", "Doc 2", "Doc 3", "Doc 4"]);
    expect(layout.unplacedLinks.map((link) => link.label)).toEqual(["Doc 5", "Doc 6", "Doc 7", "Doc 8"]);
  });

  it("given more than 25 choices, keeps the first 25 and no links", () => {
    const layout = buttonLayout(choices(30), links(1));
    expect(labels(layout).flat()).toEqual(choices(25).map((c) => c.label));
    expect(layout.choicesUnreadable).toBe(true);
    expect(layout.unplacedLinks).toEqual(links(1));
  });

  it("given a long label, clips it to 80 characters with an ellipsis", () => {
    const layout = buttonLayout([{ action: actionOf("/quiz"), label: "word ".repeat(30) }], []);
    const label = labels(layout)[0]?.[0] ?? "";
    expect(label.length).toBeLessThanOrEqual(80);
    expect(label.endsWith("…")).toBe(true);
    expect(layout.choicesUnreadable).toBe(true);
    expect(
      buttonLayout([{ action: actionOf("/quiz"), label: "word ".repeat(10) }], []).choicesUnreadable,
    ).toBe(false);
  });

  it("given a choice whose action is too long for a custom_id, leaves that button out", () => {
    const long = actionOf(`/answer ${"x".repeat(95)} a`);
    const layout = buttonLayout([{ action: long, label: "Long" }, ...choices(1)], []);
    expect(labels(layout)).toEqual([["Choice 0"]]);
    expect(layout.choicesUnreadable).toBe(true);
  });

  it("given two choices with the same command, keeps one button since Discord refuses twins", () => {
    const twin = { action: actionOf("/quiz"), label: "Again" };
    const layout = buttonLayout([twin, twin], []);
    expect(labels(layout)).toEqual([["Again"]]);
    expect(layout.choicesUnreadable).toBe(false);
  });

  it("given a link Discord cannot open as a button, lists it instead", () => {
    const odd = [
      { label: "Mail", url: "mailto:someone@example.org" },
      { label: "Broken", url: "not a url" },
      { label: "Huge", url: `https://example.org/${"x".repeat(600)}` },
    ];
    const layout = buttonLayout([], [...odd, ...links(1)]);
    expect(labels(layout)).toEqual([["Doc 0"]]);
    expect(layout.unplacedLinks).toEqual(odd);
  });
});
