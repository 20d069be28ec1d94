import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, describe, expect, it } from "vitest";
import { heatmapSvg } from "../core/pictures/heatmap.js";
import { type LeaderboardChart, leaderboardSvg } from "../core/pictures/leaderboard.js";
import { fontFiles, PICTURE_SCALE, renderOptions } from "./render-options.js";
import { createPictureRenderer, type PictureDrawer } from "./resvg.js";

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

const drawers: PictureDrawer[] = [];
afterAll(async () => {
  await Promise.all(drawers.map((drawer) => drawer.close()));
});

function drawer(...args: Parameters<typeof createPictureRenderer>): PictureDrawer {
  const made = createPictureRenderer(...args);
  drawers.push(made);
  return made;
}

/** The PNG of one picture, which must be drawn. */
async function drawPng(svg: string, using: PictureDrawer = drawer()): Promise<Uint8Array> {
  const outcome = await using.png(svg);
  if (!outcome.ok) throw new Error(`not drawn: ${outcome.reason} ${outcome.detail}`);
  return outcome.png;
}

describe("PNG renderer", () => {
  it("given a leaderboard, returns a PNG twice the SVG's size and well under 300 KB", async () => {
    const svg = leaderboardSvg(fullBoard);
    const png = await drawPng(svg);
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
    const png = await drawPng(svg);
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
    const png = await drawPng(svg);
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
    const renderer = drawer();
    const svg = leaderboardSvg(fullBoard);
    const [first, concurrent] = await Promise.all([renderer.png(svg), renderer.png(svg)]);
    expect(first.ok).toBe(true);
    expect(concurrent).toBe(first);
    expect(await renderer.png(svg)).toBe(first);
    const other = await renderer.png(leaderboardSvg({ ...fullBoard, title: "Spring 2026 · week 4" }));
    expect(other).not.toBe(first);
  });

  it("given every thread drawing and the queue full, the next picture is answered busy at once and drawn later when there is room", async () => {
    const renderer = drawer({ threads: 1, queue: 1, idleMs: 1_000 });
    const board = (week: number) => leaderboardSvg({ ...fullBoard, title: `Spring 2026 · week ${week}` });
    const held = [renderer.png(board(10)), renderer.png(board(11))];
    expect(renderer.inFlight()).toBe(2);
    expect(await renderer.png(board(12))).toMatchObject({ ok: false, reason: "busy" });
    for (const outcome of await Promise.all(held)) expect(outcome.ok).toBe(true);
    expect((await renderer.png(board(12))).ok).toBe(true);
  });

  it("given an SVG resvg cannot read, answers failed and draws it again when asked again", async () => {
    const renderer = drawer();
    const broken = "<svg this is not";
    expect(await renderer.png(broken)).toMatchObject({ ok: false, reason: "failed" });
    const again = renderer.png(broken);
    expect(renderer.inFlight()).toBe(1);
    expect(await again).toMatchObject({ ok: false, reason: "failed" });
  });
});
