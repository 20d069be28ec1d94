import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { heatmapSvg } from "../core/pictures/heatmap.js";
import { type LeaderboardChart, leaderboardSvg } from "../core/pictures/leaderboard.js";
import { createPictureRenderer, fontFiles, PICTURE_SCALE, renderOptions } from "./resvg.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const [, width, height] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  return { width: Number(width), height: Number(height) };
}

/** Pixels whose alpha is not zero: anything drawn at all. */
function inkedPixels(svg: string): number {
  const pixels = new Resvg(svg, renderOptions()).render().pixels;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
  return inked;
}

const fullBoard: LeaderboardChart = {
  title: "Spring 2026 · week 3",
  subtitle: "This week's points",
  rows: Array.from({ length: 10 }, (_, i) => ({
    rank: i + 1,
    name:
      ["<script>alert(1)</script>", `Tom & "Jerry"`, "محمد علي", "👩‍💻 Zoë", "x".repeat(500)][i % 5] ?? "",
    points: 1000 - i * 97,
    isCaller: false,
  })),
  caller: { rank: 37, name: "you", points: 120, isCaller: true },
};

describe("PNG renderer", () => {
  it("given a leaderboard, returns a PNG twice the SVG's size and well under 300 KB", async () => {
    const svg = leaderboardSvg(fullBoard);
    const png = await createPictureRenderer().png(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const expected = svgSize(svg);
    expect(expected.width).toBe(800);
    expect(pngSize(png)).toEqual({
      width: expected.width * PICTURE_SCALE,
      height: expected.height * PICTURE_SCALE,
    });
    expect(png.byteLength).toBeLessThan(300 * 1024);
  });

  it("given a heat-map, returns a PNG of its size", async () => {
    const svg = heatmapSvg({
      title: "ana · 12-day streak",
      subtitle: "Last 12 weeks · Europe/Berlin",
      endDate: "2027-01-06",
      weeks: 12,
      counts: new Map([["2027-01-05", 3]]),
    });
    const png = await createPictureRenderer().png(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const expected = svgSize(svg);
    expect(pngSize(png)).toEqual({
      width: expected.width * PICTURE_SCALE,
      height: expected.height * PICTURE_SCALE,
    });
  });

  it("given a leaderboard of names made of one letter and 50,000 combining marks, still returns a PNG", async () => {
    const name = `a${"\u0301".repeat(50_000)}`;
    const svg = leaderboardSvg({ ...fullBoard, rows: fullBoard.rows.map((r) => ({ ...r, name })) });
    const png = await createPictureRenderer().png(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it("given text alone, draws it with the bundled fonts and nothing from the system", () => {
    const text = (weight: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="20" font-family="DejaVu Sans" font-weight="${weight}">Quorum 42</text></svg>`;
    const regular = inkedPixels(text("normal"));
    expect(regular).toBeGreaterThan(500);
    expect(inkedPixels(text("bold"))).toBeGreaterThan(regular);
    for (const file of fontFiles()) expect(existsSync(file)).toBe(true);
  });

  it("given the same chart with another title, draws different pixels", () => {
    const base = leaderboardSvg({ ...fullBoard, title: "Spring 2026 · week 3" });
    const other = leaderboardSvg({ ...fullBoard, title: "Spring 2026 · week 4" });
    const render = (svg: string) => new Resvg(svg, renderOptions()).render().pixels;
    expect(render(base).equals(render(base))).toBe(true);
    expect(render(base).equals(render(other))).toBe(false);
  });

  it("given the same picture asked for again, or by many at once, it is drawn once and shared", async () => {
    const renderer = createPictureRenderer();
    const svg = leaderboardSvg(fullBoard);
    const [first, concurrent] = await Promise.all([renderer.png(svg), renderer.png(svg)]);
    expect(concurrent).toBe(first);
    expect(await renderer.png(svg)).toBe(first);
    const other = await renderer.png(leaderboardSvg({ ...fullBoard, title: "Spring 2026 · week 4" }));
    expect(other).not.toBe(first);
  });
});
