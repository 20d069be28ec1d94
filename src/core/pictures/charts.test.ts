import { describe, expect, it } from "vitest";
import { barChartSvg, lightPalette } from "./charts.js";

/** Widths of the filled bars, in drawing order (the track behind each is drawn first, in its own colour). */
const barWidths = (svg: string) =>
  [...svg.matchAll(new RegExp(`width="([\\d.]+)" height="16" rx="3" fill="${lightPalette.bar}"`, "g"))].map(
    (m) => Number(m[1]),
  );

/** WCAG contrast ratio of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

describe("barChartSvg", () => {
  it("given weeks with learners, draws one labelled bar per week scaled to the largest, with its figure", () => {
    const svg = barChartSvg({
      title: "Participation per week",
      bars: [
        { label: "Week 1", value: 4, valueText: "4 (100%)" },
        { label: "Week 2", value: 2, valueText: "2 (50%)" },
        { label: "Week 3", value: 0 },
      ],
    });
    for (const text of ["Week 1", "Week 2", "Week 3", "4 (100%)", "2 (50%)", ">0<"])
      expect(svg).toContain(text);
    const [first, second, ...rest] = barWidths(svg);
    expect(second).toBeCloseTo((first ?? 0) / 2, 0);
    expect(rest).toEqual([]);
  });

  it("given a scale of 100, a bar of 50 fills half its track and one of 25 a quarter", () => {
    const svg = barChartSvg({
      title: "Accuracy",
      bars: [
        { label: "Joins", value: 50, valueText: "50%" },
        { label: "Indexes", value: 25, valueText: "25%" },
      ],
      max: 100,
    });
    const track = Number(
      svg.match(new RegExp(`width="([\\d.]+)" height="16" rx="3" fill="${lightPalette.track}"`))?.[1],
    );
    expect(track).toBeGreaterThan(100);
    expect(barWidths(svg)).toEqual([expect.closeTo(track / 2, 0), expect.closeTo(track / 4, 0)]);
  });

  it("given any chart, it carries role img, an aria-label and a title naming it, and sizes by its viewBox", () => {
    const svg = barChartSvg({ title: "Weakest topics", bars: [{ label: "Joins", value: 30 }] });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-label="Weakest topics"/);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 640 \d+"[^>]*class="bar-chart"/);
    expect(svg).not.toMatch(/^<svg [^>]* (width|height)=/);
    expect(svg.split("\n")[1]).toBe("<title>Weakest topics</title>");
  });

  it("given a label or title with markup, quotes and controls, the SVG carries them as text", () => {
    const svg = barChartSvg({
      title: 'Topics "<b>"',
      bars: [{ label: "<script>alert(1)</script>\u0007 & co", value: 1, valueText: "<i>1</i>" }],
    });
    expect(svg).not.toMatch(/<script|<b>|<i>/);
    expect(svg).not.toContain("\u0007");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain('aria-label="Topics &quot;&lt;b&gt;&quot;"');
    expect(svg).toContain("&lt;i&gt;1&lt;/i&gt;");
  });

  it("given a very long label, cuts it with an ellipsis so the bars keep their room", () => {
    const svg = barChartSvg({ title: "Topics", bars: [{ label: "Normalisation ".repeat(20), value: 1 }] });
    expect(svg).toMatch(/Normalisation[^<]*…<\/text>/);
    expect(barWidths(svg)[0]).toBeGreaterThan(300);
  });

  it("given no bars, says so in words instead", () => {
    const svg = barChartSvg({ title: "Participation", bars: [], empty: "Nobody has answered yet." });
    expect(svg).toContain("Nobody has answered yet.");
    expect(barWidths(svg)).toEqual([]);
    expect(svg).toContain('role="img"');
  });

  it("given the light palette, text reads at 4.5:1 on white and bars stand out at 3:1", () => {
    expect(contrastOnWhite(lightPalette.text)).toBeGreaterThanOrEqual(4.5);
    expect(contrastOnWhite(lightPalette.muted)).toBeGreaterThanOrEqual(4.5);
    expect(contrastOnWhite(lightPalette.bar)).toBeGreaterThanOrEqual(3);
  });
});
