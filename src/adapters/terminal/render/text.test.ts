import { describe, expect, it } from "vitest";
import { progressBar, renderLatePictures, renderMarkdown, renderMessage } from "./text.js";

const plain = { color: false };

describe("terminal rendering", () => {
  it("given Markdown in plain mode, drops emphasis marks, keeps code marks and spells out links", () => {
    expect(
      renderMarkdown("**Joins** use *keys*: `JOIN … ON` — [docs](https://example.org/joins)", plain),
    ).toBe("Joins use keys: `JOIN … ON` — docs (https://example.org/joins)");
  });

  it("given a fenced block and a list, indents the code and bullets the items", () => {
    expect(renderMarkdown("Try:\n```sql\nSELECT 1;\n```\n- one\n- two", plain)).toBe(
      "Try:\n    SELECT 1;\n  • one\n  • two",
    );
  });

  it("given colour on, styles bold with ANSI and restores it", () => {
    expect(renderMarkdown("**x**", { color: true })).toBe("\x1b[1mx\x1b[22m");
  });

  it("given progress past either end, clamps the bar", () => {
    expect(progressBar(3, 20, 10)).toBe("[██░░░░░░░░] 3/20");
    expect(progressBar(25, 20, 4)).toBe("[████] 20/20");
    expect(progressBar(-1, 20, 4)).toBe("[░░░░] 0/20");
  });

  it("given a full message, lays out every part in order", () => {
    const text = renderMessage(
      {
        title: "Week 1",
        progress: { current: 1, total: 20, label: "spring" },
        text: "Intro",
        tone: "success",
        fields: [
          { name: "Starts", value: "2026-03-02", inline: true },
          { name: "Zone", value: "UTC", inline: true },
          { name: "Tracks", value: "DBA: 2\nSQL: 1" },
        ],
        sections: [{ heading: "Topic", text: "Body" }],
        choices: [
          { label: "Yes", action: { command: "answer", args: { question: "q", choice: "a" } } },
          { label: "No", action: { command: "answer", args: { question: "q", choice: "b" } } },
        ],
        images: [{ alt: "Leaderboard", name: "board.png", png: new Uint8Array() }],
        links: [{ label: "Docs", url: "https://example.org" }],
        footer: "Next: /week 2",
      },
      plain,
    );
    expect(text).toBe(
      [
        "━━ Week 1 ━━",
        "[█░░░░░░░░░░░░░░░░░░░] 1/20  spring",
        "✓ Intro",
        "Starts: 2026-03-02   Zone: UTC\nTracks\n  DBA: 2\n  SQL: 1",
        "▸ Topic\nBody",
        "[1] Yes   [2] No",
        "🖼  (not saved)",
        "Links\n  • Docs — https://example.org",
        "Next: /week 2",
      ].join("\n\n"),
    );
  });

  it("given pictures that followed a reply, shows where each was saved, or the line saying why there is none", () => {
    const png = new Uint8Array([1]);
    const saved = new Map([["board.png", "/files/board.png"]]);
    expect(
      renderLatePictures({ images: [{ alt: "Board", name: "board.png", png }] }, { ...plain, saved }),
    ).toBe("🖼  /files/board.png");
    expect(renderLatePictures({ images: [], note: "*The picture is left out.*" }, plain)).toBe(
      "The picture is left out.",
    );
  });
});
