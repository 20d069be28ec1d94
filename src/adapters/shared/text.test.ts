import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clip, splitText } from "./text.js";

const fences = (text: string) => text.split("\n").filter((line) => /^\s*```/.test(line)).length;
const words = (text: string) =>
  text
    .replace(/```\w*/g, " ")
    .split(/\s+/)
    .filter(Boolean);

describe("cutting text to a platform's limits", () => {
  it("given text within the limit, clip leaves it alone; past it, ends with an ellipsis at the limit", () => {
    expect(clip("short", 10)).toBe("short");
    expect(clip("a rather long title", 10)).toBe("a rather…");
    expect(clip("a rather long title", 10).length).toBeLessThanOrEqual(10);
  });

  it("given an emoji at the cut, clip does not leave half of it", () => {
    const clipped = clip("ab😀cdef", 4);
    expect(clipped).toBe("ab…");
    expect(clipped.length).toBeLessThanOrEqual(4);
  });

  it("given paragraphs, cuts between paragraphs rather than inside one", () => {
    const first = "a".repeat(40);
    const second = "b".repeat(40);
    expect(splitText(`${first}\n\n${second}`, 60)).toEqual([first, second]);
    expect(splitText(`${first}\n\n${second}`, 100)).toEqual([`${first}\n\n${second}`]);
  });

  it("given a paragraph longer than the limit, cuts at line borders, then between words", () => {
    expect(splitText("one two\nthree four\nfive six", 18)).toEqual(["one two\nthree four", "five six"]);
    expect(splitText("alpha beta gamma delta", 11)).toEqual(["alpha beta", "gamma delta"]);
  });

  it("given one word longer than the limit, cuts it hard since nothing else is possible", () => {
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("given a code block that fits, keeps it whole in the next chunk instead of cutting it open", () => {
    const code = "```sql\nSELECT 1;\nSELECT 2;\n```";
    const chunks = splitText(`${"intro ".repeat(8).trim()}\n${code}`, 40);
    expect(chunks).toEqual(["intro ".repeat(6).trim(), "intro intro", code]);
  });

  it("given a code block longer than the limit, closes it and reopens it with its language", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `SELECT ${i};`);
    const chunks = splitText(`\`\`\`sql\n${lines.join("\n")}\n\`\`\``, 50);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(50);
      expect(chunk.startsWith("```sql\n")).toBe(true);
      expect(chunk.endsWith("\n```")).toBe(true);
    }
    expect(chunks.flatMap((chunk) => chunk.split("\n").slice(1, -1))).toEqual(lines);
  });

  it("given blank or empty text, gives no chunks", () => {
    expect(splitText("", 10)).toEqual([]);
    expect(splitText("\n  \n", 10)).toEqual([]);
  });

  it("given any text, every chunk fits, every code block is closed and no word is lost", () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    const line = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 12 }).map((ws) => ws.join(" ")),
      fc.constant(""),
      fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => `\`\`\`sql\n${ws.join("\n")}\n\`\`\``),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.integer({ min: 30, max: 200 }), (lines, limit) => {
        const text = lines.join("\n");
        const chunks = splitText(text, limit);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect(fences(chunk) % 2).toBe(0);
        }
        expect(words(chunks.join("\n"))).toEqual(words(text));
      }),
    );
  });
});
