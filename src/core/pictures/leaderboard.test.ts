import { describe, expect, it } from "vitest";
import { NAME_MAX_CODE_POINTS } from "../text.js";
import { BAR_MAX_WIDTH, type LeaderboardRow, leaderboardSvg, NAME_MAX_WIDTH } from "./leaderboard.js";
import { palette, textWidth } from "./svg.js";

function row(rank: number, name: string, points: number, isCaller = false): LeaderboardRow {
  return { rank, name, points, isCaller };
}

/** The SVG of each drawn row, keyed by rank. */
function rowsOf(svg: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of svg.matchAll(/<g data-rank="([^"]*)"[\s\S]*?<\/g>/g))
    rows.set(match[1] ?? "", match[0]);
  return rows;
}

function barWidth(rowSvg: string | undefined): number | undefined {
  const match = /<rect class="bar"[^>]* width="([\d.]+)"/.exec(rowSvg ?? "");
  return match ? Number(match[1]) : undefined;
}

function nameOf(rowSvg: string | undefined): string {
  return /<text class="name"[^>]*>([^<]*)<\/text>/.exec(rowSvg ?? "")?.[1] ?? "";
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("leaderboard picture", () => {
  it("given hostile names, escapes markup, ampersands and quotes and strips control characters", () => {
    const svg = leaderboardSvg({
      title: "<b>Spring</b> & co",
      rows: [
        row(1, "<script>alert(1)</script>", 30),
        row(2, `Tom & "Jerry" 'x'`, 20),
        row(3, "evil\u202e\u0007bell", 10),
      ],
    });
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b>");
    expect(svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
    expect(svg.replace(/\n/g, "")).not.toMatch(/[\p{Cc}\u202e]/u);
    const rows = rowsOf(svg);
    expect(nameOf(rows.get("1"))).toContain("&lt;script&gt;");
    expect(nameOf(rows.get("2"))).toBe("Tom &amp; &quot;Jerry&quot; &apos;x&apos;");
    expect(nameOf(rows.get("3"))).toBe("evil bell");
    expect(svg).toContain("&lt;b&gt;Spring&lt;/b&gt; &amp; co");
  });

  it("given a name of a letter and 50,000 combining marks, draws the letter and at most the code point cap of the name", () => {
    const name = `a${"\u0301".repeat(50_000)}`;
    const svg = leaderboardSvg({ title: "t", rows: [row(1, name, 5)], caller: row(12, name, 1, true) });
    for (const drawn of rowsOf(svg).values()) {
      const shown = unescapeXml(nameOf(drawn));
      expect(shown.startsWith("a\u0301")).toBe(true);
      expect(Array.from(shown).length).toBeLessThanOrEqual(NAME_MAX_CODE_POINTS);
    }
    expect(svg.split("\u0301").length - 1).toBeLessThanOrEqual(2 * NAME_MAX_CODE_POINTS);
  });

  it("given right-to-left and emoji names, keeps them whole", () => {
    const rows = rowsOf(leaderboardSvg({ title: "t", rows: [row(1, "محمد علي", 5), row(2, "👩‍💻 Zoë", 4)] }));
    expect(nameOf(rows.get("1"))).toBe("محمد علي");
    expect(nameOf(rows.get("2"))).toBe("👩‍💻 Zoë");
  });

  it("given a 500-character name, cuts it with an ellipsis so it stays clear of the bars", () => {
    const svg = leaderboardSvg({ title: "t", rows: [row(1, "W".repeat(500), 5)] });
    const name = unescapeXml(nameOf(rowsOf(svg).get("1")));
    expect(name.endsWith("…")).toBe(true);
    expect(textWidth(name, 16)).toBeLessThanOrEqual(NAME_MAX_WIDTH);
    expect(svg).toContain('clip-path="url(#name-column)"');
  });

  it("given scores, draws bars in proportion to points with the top score the full width", () => {
    const rows = rowsOf(
      leaderboardSvg({
        title: "t",
        rows: [row(1, "a", 400), row(2, "b", 200), row(3, "c", 100), row(4, "d", 300)],
      }),
    );
    const widths = ["1", "2", "3", "4"].map((rank) => barWidth(rows.get(rank)) ?? Number.NaN);
    expect(widths[0]).toBeCloseTo(BAR_MAX_WIDTH, 0);
    expect(widths[1]).toBeCloseTo(BAR_MAX_WIDTH / 2, 0);
    expect(widths[2]).toBeCloseTo(BAR_MAX_WIDTH / 4, 0);
    expect(widths[3]).toBeCloseTo((BAR_MAX_WIDTH * 3) / 4, 0);
  });

  it("given a zero score, draws the row and its points but no bar", () => {
    const rows = rowsOf(leaderboardSvg({ title: "t", rows: [row(1, "a", 10), row(2, "zero", 0)] }));
    expect(barWidth(rows.get("2"))).toBeUndefined();
    expect(nameOf(rows.get("2"))).toBe("zero");
    expect(rows.get("2")).toContain(">0 pts<");
  });

  it("given the caller in the top rows, highlights only their row", () => {
    const svg = leaderboardSvg({ title: "t", rows: [row(1, "a", 9), row(2, "me", 5, true), row(3, "c", 1)] });
    const rows = rowsOf(svg);
    expect(rows.get("2")).toContain('data-caller="true"');
    expect(rows.get("2")).toContain('class="highlight"');
    expect(rows.get("2")).toContain(`fill="${palette.callerBar}"`);
    expect(rows.get("1")).toContain('data-caller="false"');
    expect(svg.match(/class="highlight"/g)).toHaveLength(1);
    expect(svg).not.toContain('class="gap"');
  });

  it("given the caller outside the top 10, adds their highlighted row under a gap", () => {
    const top = Array.from({ length: 10 }, (_, i) => row(i + 1, `p${i + 1}`, 1000 - i * 50));
    const withoutCaller = leaderboardSvg({ title: "t", rows: top });
    const svg = leaderboardSvg({ title: "t", rows: top, caller: row(37, "you", 120, true) });
    const rows = rowsOf(svg);
    expect([...rows.keys()]).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "37"]);
    expect(rows.get("37")).toContain('class="highlight"');
    expect(rows.get("37")).toContain(">120 pts<");
    expect(barWidth(rows.get("37"))).toBeCloseTo((BAR_MAX_WIDTH * 120) / 1000, 0);
    expect(svg.indexOf('class="gap"')).toBeLessThan(svg.indexOf('data-rank="37"'));
    expect(svg.indexOf('class="gap"')).toBeGreaterThan(svg.indexOf('data-rank="10"'));
    const heightOf = (s: string) => Number(/height="(\d+)"/.exec(s)?.[1]);
    expect(heightOf(svg)).toBeGreaterThan(heightOf(withoutCaller));
  });

  it("given more than 10 rows, draws only the first 10", () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(i + 1, `p${i}`, 100 - i));
    expect(rowsOf(leaderboardSvg({ title: "t", rows })).size).toBe(10);
  });

  it("given no rows, says there are no points yet and draws no bars", () => {
    const svg = leaderboardSvg({ title: "Spring 2026 · week 1", subtitle: "This week's points", rows: [] });
    expect(svg).toContain("No points yet");
    expect(svg).not.toContain('class="bar"');
    expect(svg).toMatch(/^<svg [^>]*width="800"/);
  });

  it("given the same chart twice, draws the same SVG", () => {
    const chart = { title: "t", subtitle: "s", rows: [row(1, "a", 3, true)], caller: row(12, "b", 1, true) };
    expect(leaderboardSvg(chart)).toBe(leaderboardSvg(structuredClone(chart)));
  });

  it("given more rows, grows taller at the same 800 px width", () => {
    const sizeOf = (n: number) => {
      const svg = leaderboardSvg({
        title: "t",
        rows: Array.from({ length: n }, (_, i) => row(i + 1, "x", 10)),
      });
      const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
      return { width: Number(width), height: Number(height) };
    };
    expect(sizeOf(3).width).toBe(800);
    expect(sizeOf(10).width).toBe(800);
    expect(sizeOf(10).height).toBeGreaterThan(sizeOf(3).height);
  });
});
