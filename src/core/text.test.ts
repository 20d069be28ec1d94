import { describe, expect, it } from "vitest";
import { cappedName, NAME_MAX_CODE_POINTS, NAME_MAX_GRAPHEMES } from "./text.js";

const codePoints = (text: string) => Array.from(text).length;
const graphemeCount = (text: string) =>
  Array.from(new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)).length;

describe("display names within a budget", () => {
  it("given a short name, including right-to-left text and emoji, leaves it unchanged", () => {
    for (const name of ["Ana B.", "محمد علي", "👩‍💻 Zoë", "Ana.B-2"]) expect(cappedName(name)).toBe(name);
  });

  it("given a letter followed by 50,000 combining marks, keeps the letter within the code point cap", () => {
    const name = `a${"\u0301".repeat(50_000)}`;
    const cut = cappedName(name);
    expect(cut.startsWith("a\u0301")).toBe(true);
    expect(codePoints(cut)).toBeLessThanOrEqual(NAME_MAX_CODE_POINTS);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("given many emoji ZWJ sequences, cuts between them and never inside one", () => {
    const family = "👩‍👩‍👧‍👦";
    const cut = cappedName(family.repeat(20));
    expect(codePoints(cut)).toBeLessThanOrEqual(NAME_MAX_CODE_POINTS);
    const kept = cut.slice(0, -"…".length);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.split(family).every((part) => part === "")).toBe(true);
  });

  it("given a name longer than the grapheme cap, cuts it to the cap with an ellipsis", () => {
    const cut = cappedName("Bartholomew ".repeat(10));
    expect(graphemeCount(cut)).toBeLessThanOrEqual(NAME_MAX_GRAPHEMES);
    expect(cut).toMatch(/^Bartholomew Bartholomew .*\S…$/);
  });

  it("given a name exactly at both caps, leaves it unchanged", () => {
    const name = "x".repeat(NAME_MAX_GRAPHEMES);
    expect(cappedName(name)).toBe(name);
    const marked = "e\u0301".repeat(NAME_MAX_CODE_POINTS / 2);
    expect(cappedName(marked)).toBe(marked);
    expect(cappedName(`${marked}\u0301`)).not.toBe(`${marked}\u0301`);
  });

  it("given a name already cut, cutting it again changes nothing", () => {
    for (const name of [
      `a${"\u0301".repeat(50_000)}`,
      "👩‍👩‍👧‍👦".repeat(20),
      "Bartholomew ".repeat(10),
      "🇫🇷".repeat(40),
    ]) {
      const once = cappedName(name);
      expect(cappedName(once)).toBe(once);
    }
  });
});
