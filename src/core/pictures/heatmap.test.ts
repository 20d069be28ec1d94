import { describe, expect, it } from "vitest";
import { parseCalendarDate } from "../rules/time.js";
import {
  activityLevel,
  activitySummary,
  type HeatmapChart,
  heatmapRange,
  heatmapShades,
  heatmapSvg,
  pageHeatmapShades,
} from "./heatmap.js";

interface Cell {
  date: string;
  count: number;
  level: number;
  x: number;
  y: number;
  fill: string;
}

function cellsOf(svg: string): Cell[] {
  return [...svg.matchAll(/<rect class="day" ([^>]*)\/>/g)].map(([, attrs = ""]) => {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1] ?? "";
    return {
      date: attr("data-date"),
      count: Number(attr("data-count")),
      level: Number(attr("data-level")),
      x: Number(attr("x")),
      y: Number(attr("y")),
      fill: attr("fill"),
    };
  });
}

function weekday(date: string): string {
  return (
    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][new Date(parseCalendarDate(date) ?? 0).getUTCDay()] ??
    ""
  );
}

function chart(endDate: string, counts: Record<string, number> = {}, weeks = 12): HeatmapChart {
  return { title: "ana · 12-day streak", endDate, weeks, counts: new Map(Object.entries(counts)) };
}

describe("heat-map picture", () => {
  it("given today is a Wednesday, draws 12 full weeks less the four days still to come", () => {
    const cells = cellsOf(heatmapSvg(chart("2026-03-18")));
    expect(cells).toHaveLength(12 * 7 - 4);
    expect(cells.at(-1)?.date).toBe("2026-03-18");
    expect(cells.every((cell) => cell.date <= "2026-03-18")).toBe(true);
  });

  it("given today is a Sunday, draws every cell; given a Monday, only the first of the last week", () => {
    expect(cellsOf(heatmapSvg(chart("2026-03-22")))).toHaveLength(84);
    expect(cellsOf(heatmapSvg(chart("2026-03-23")))).toHaveLength(78);
    expect(cellsOf(heatmapSvg(chart("2026-03-23", {}, 1)))).toHaveLength(1);
  });

  it("given activity counts, shades each day by its bucket", () => {
    const counts = {
      "2026-03-09": 0,
      "2026-03-10": 1,
      "2026-03-11": 2,
      "2026-03-12": 3,
      "2026-03-13": 4,
      "2026-03-14": 6,
      "2026-03-15": 7,
      "2026-03-16": 50,
    };
    const byDate = new Map(cellsOf(heatmapSvg(chart("2026-03-18", counts))).map((c) => [c.date, c]));
    const levels = Object.keys(counts).map((date) => byDate.get(date)?.level);
    expect(levels).toEqual([0, 1, 2, 2, 3, 3, 4, 4]);
    for (const date of Object.keys(counts)) {
      const cell = byDate.get(date);
      expect(cell?.fill).toBe(heatmapShades[cell?.level ?? -1]);
    }
    expect(byDate.get("2026-03-17")).toMatchObject({ count: 0, level: 0, fill: heatmapShades[0] });
    expect(new Set(heatmapShades).size).toBe(5);
  });

  it("given odd counts, treats below one as none", () => {
    expect([-3, 0, 0.5, Number.NaN, 1, 3, 4, 6, 7, 1e9].map(activityLevel)).toEqual([
      0, 0, 0, 0, 1, 2, 3, 3, 4, 4,
    ]);
  });

  it("given weeks across a new year, puts every Monday on the top row and each week in one column", () => {
    const cells = cellsOf(heatmapSvg(chart("2027-01-06")));
    const topRow = Math.min(...cells.map((c) => c.y));
    const pitch = Math.min(...cells.map((c) => c.y).filter((y) => y > topRow)) - topRow;
    for (const cell of cells) {
      const row = (cell.y - topRow) / pitch;
      expect(weekday(cell.date)).toBe(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][row]);
    }
    const columnOf = (date: string) => cells.find((c) => c.date === date)?.x;
    // Mon 28 Dec 2026 to Sun 3 Jan 2027 is one week, so one column; Mon 4 Jan starts the next.
    expect(columnOf("2026-12-31")).toBe(columnOf("2026-12-28"));
    expect(columnOf("2027-01-01")).toBe(columnOf("2026-12-28"));
    expect(columnOf("2027-01-03")).toBe(columnOf("2026-12-28"));
    expect(columnOf("2027-01-04")).toBeGreaterThan(columnOf("2027-01-03") ?? Number.POSITIVE_INFINITY);
    expect(cells[0]?.date).toBe("2026-10-19");
  });

  it("given weeks across month starts, labels the months in order on top", () => {
    const svg = heatmapSvg(chart("2027-01-06"));
    const months = [...svg.matchAll(/<text class="month"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(months).toEqual(["Oct", "Nov", "Dec", "Jan"]);
  });

  it("given a range, starts on the Monday weeks-1 weeks before today's week", () => {
    expect(heatmapRange("2026-03-18", 12)).toEqual({ first: "2025-12-29", last: "2026-03-18" });
    expect(weekday(heatmapRange("2027-02-28", 12).first)).toBe("Mon");
  });

  it("given a bad date or week count, refuses to draw", () => {
    expect(() => heatmapSvg(chart("2026-02-30"))).toThrow(RangeError);
    expect(() => heatmapSvg(chart("2026-03-18", {}, 0))).toThrow(RangeError);
    expect(() => heatmapSvg(chart("2026-03-18", {}, 2.5))).toThrow(RangeError);
  });

  it("given a hostile title, escapes it", () => {
    const svg = heatmapSvg({ ...chart("2026-03-18"), title: "<script>&", subtitle: `"x" 'y'` });
    expect(svg).toContain("&lt;script&gt;&amp;");
    expect(svg).toContain("&quot;x&quot; &apos;y&apos;");
    expect(svg).not.toContain("<script");
  });

  it("given the same chart twice, draws the same SVG with a legend", () => {
    const svg = heatmapSvg(chart("2026-03-18", { "2026-03-18": 2 }));
    expect(heatmapSvg(chart("2026-03-18", { "2026-03-18": 2 }))).toBe(svg);
    expect(svg.match(/class="legend"/g)).toHaveLength(5);
    expect(svg).toContain(">Less<");
    expect(svg).toContain(">More<");
  });

  it("given any chart, announces one image with a title and the figures as its label", () => {
    const svg = heatmapSvg(chart("2026-03-18", { "2026-03-16": 3, "2026-03-17": 5, "2026-01-05": 5 }));
    const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? "";
    expect(root).toContain('role="img"');
    expect(root).toContain(
      'aria-label="ana · 12-day streak. From 2025-12-29 to 2026-03-18: active on 3 of 80 days, 13 activities in all; busiest day 2026-03-17 with 5 activities."',
    );
    expect(svg.split("\n")[1]).toBe("<title>ana · 12-day streak</title>");
  });

  it("given a hostile title, escapes it in the label and the title too", () => {
    const svg = heatmapSvg({ ...chart("2026-03-18"), title: `"><script>x</script>` });
    expect(svg).toContain('aria-label="&quot;&gt;&lt;script&gt;x&lt;/script&gt;. From');
    expect(svg).toContain("<title>&quot;&gt;&lt;script&gt;x&lt;/script&gt;</title>");
    expect(svg).not.toContain("<script");
  });

  it("given the page theme, draws light and fluid: no card, no drawn title, page shades and width 100%", () => {
    const counts = { "2026-03-17": 7 };
    const page = heatmapSvg({ ...chart("2026-03-18", counts), theme: "page" });
    const chat = heatmapSvg(chart("2026-03-18", counts));
    expect(page).toMatch(/^<svg [^>]*width="100%" class="heatmap" viewBox="0 0 \d+ \d+"/);
    expect(/^<svg [^>]*>/.exec(page)?.[0]).not.toContain("height=");
    expect(page).not.toContain('font-weight="bold"');
    expect(page).not.toContain("#161b22");
    expect(cellsOf(page).find((c) => c.date === "2026-03-17")?.fill).toBe(pageHeatmapShades[4]);
    expect(cellsOf(page).map((c) => c.date)).toEqual(cellsOf(chat).map((c) => c.date));
    expect(chat).toMatch(/^<svg [^>]*width="\d+" height="\d+"/);
  });

  it("given counts inside and outside the range, sums only the days drawn and names the latest busiest day", () => {
    const counts = new Map([
      ["2026-03-01", 50],
      ["2026-03-10", 4],
      ["2026-03-12", 4],
      ["2026-03-13", 0],
      ["2026-03-20", 9],
    ]);
    expect(activitySummary(counts, "2026-03-09", "2026-03-18")).toEqual({
      days: 10,
      activeDays: 2,
      activities: 8,
      busiest: { date: "2026-03-12", count: 4 },
    });
    expect(activitySummary(new Map(), "2026-03-09", "2026-03-18")).toMatchObject({
      activeDays: 0,
      busiest: null,
    });
  });
});
