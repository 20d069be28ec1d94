import { describe, expect, it } from "vitest";
import { actionOf } from "../../../../test/actions.js";
import { commands } from "../../../core/commands/registry.js";
import type { Choice } from "../../../core/messages.js";
import { choiceAction, customIdFor, parseCustomId } from "./custom-id.js";

describe("Discord custom ids", () => {
  it("given a choice, its custom_id reads back as the same action, running or asking first", () => {
    const plain: Choice = { action: actionOf("/answer w1-q1 true"), label: "True" };
    const asking: Choice = {
      action: actionOf("/submit sql-x"),
      label: "Submit a query",
      input: { title: "X", label: "Your SQL", multiline: true },
    };
    expect(customIdFor(choiceAction(plain))).toBe("run:/answer w1-q1 true");
    expect(customIdFor(choiceAction(asking))).toBe("ask:/submit sql-x");
    for (const choice of [plain, asking]) {
      expect(parseCustomId(customIdFor(choiceAction(choice)) ?? "", commands)).toEqual(choiceAction(choice));
    }
  });

  it("given an argument with spaces, the id keeps it one argument and reads it back whole", () => {
    const action = { command: "submit", args: { id: "two words" } };
    expect(customIdFor({ mode: "ask", action })).toBe("ask:/submit two%20words");
    expect(parseCustomId("ask:/submit two%20words", commands)).toEqual({ mode: "ask", action });
  });

  it("given an action past Discord's 100 characters, gives no id, so no button carries it", () => {
    const fits = actionOf(`/submit ${"y".repeat(88)}`);
    expect(customIdFor({ mode: "ask", action: fits })).toHaveLength(100);
    const long = actionOf(`/submit ${"y".repeat(89)}`);
    expect(customIdFor({ mode: "ask", action: long })).toBeUndefined();
    // Escaping counts: three characters for a space.
    const spaced = { command: "submit", args: { id: " ".repeat(30) } };
    expect(customIdFor({ mode: "ask", action: spaced })).toBeUndefined();
    expect(parseCustomId(`run:/quiz ${"1".repeat(200)}`, commands)).toBeUndefined();
  });

  it("given tampered or stale ids, reads none of them", () => {
    const tampered = [
      "",
      "run:",
      "ask:",
      "run: ",
      "RUN:/help",
      "other:/help",
      "run:answer w1-q1 b",
      "run:/frobnicate",
      "run:/answer w1-q1 b c",
      "run:/answer  w1-q1",
      "ask:/submit one two three",
      "ask:/submit %zz",
      "run:/answer w1-q1 %E0%A4%A",
      "quiz:1:b",
    ];
    for (const id of tampered) expect(parseCustomId(id, commands), id).toBeUndefined();
  });
});
