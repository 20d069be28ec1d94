import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanText, escapeXml, px, safeText, textWidth, truncateToWidth } from "./svg.js";

describe("safe text", () => {
  it("given the five XML specials, escapes each of them", () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;",
    );
  });

  it("given control, bidi-override and lone-surrogate characters, removes them and keeps the words", () => {
    expect(cleanText("evil\u0007\u0000bell\u202e\nname\ud800")).toBe("evil bell name");
  });

  it("given right-to-left script and emoji, leaves them as they are", () => {
    expect(cleanText("محمد علي")).toBe("محمد علي");
    expect(cleanText("👩‍💻 Zoë")).toBe("👩‍💻 Zoë");
  });

  it("given any string, the escaped result holds no markup and no unescaped ampersand", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        const safe = safeText(text, 200, 16);
        expect(safe).not.toMatch(/[<>"']/);
        expect(safe).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
        expect(safe).not.toMatch(/[\p{Cc}\p{Cs}]/u);
      }),
    );
  });
});

describe("fitting text to a width", () => {
  it("given text that fits, leaves it unchanged", () => {
    expect(truncateToWidth("ana", 200, 16)).toBe("ana");
  });

  it("given a 500-character name, cuts it with an ellipsis to within the width", () => {
    const cut = truncateToWidth("x".repeat(500), 200, 16);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeLessThan(50);
    expect(textWidth(cut, 16)).toBeLessThanOrEqual(200);
  });

  it("given emoji sequences, never cuts one in half", () => {
    const family = "👨‍👩‍👧";
    const cut = truncateToWidth(family.repeat(20), 100, 16);
    expect(cut.endsWith("…")).toBe(true);
    const kept = cut.slice(0, -1);
    expect(kept.length % family.length).toBe(0);
    expect(kept.replaceAll(family, "")).toBe("");
  });

  it("given bold text, estimates it wider than regular", () => {
    expect(textWidth("Spring 2026", 20, "bold")).toBeGreaterThan(textWidth("Spring 2026", 20));
  });

  it("given any string, the cut text fits the width", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 120 }), (text) => {
        expect(textWidth(truncateToWidth(text, 150, 16), 16)).toBeLessThanOrEqual(150);
      }),
    );
  });
});

describe("numbers in the SVG", () => {
  it("given fractions, writes at most one decimal and never -0", () => {
    expect(px(12.345)).toBe("12.3");
    expect(px(7)).toBe("7");
    expect(px(-0.01)).toBe("0");
  });
});
