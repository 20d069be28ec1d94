import { heatmapSvg } from "../src/core/pictures/heatmap.js";
import { leaderboardSvg } from "../src/core/pictures/leaderboard.js";
import { createPictureRenderer } from "../src/pictures/resvg.js";

/** A full board (ten rows and the viewer's own) for week `week`: each week is a new picture, not a cached one. */
function board(week: number): string {
  return leaderboardSvg({
    title: `Spring 2026 · week ${week}`,
    subtitle: "200 learners · ties go to whoever got there first",
    rows: Array.from({ length: 10 }, (_, i) => ({
      rank: i + 1,
      name: `learner${i * 17 + week}`,
      points: 1000 - i * 90,
      isCaller: false,
    })),
    caller: { rank: 37, name: "you", points: 120, isCaller: true },
  });
}

function heatmap(seed: number): string {
  const counts = new Map<string, number>();
  for (let day = 1; day <= 28; day++) counts.set(`2026-02-${String(day).padStart(2, "0")}`, (day * seed) % 5);
  return heatmapSvg({
    title: `learner${seed} · 9 day streak`,
    subtitle: "Last 12 weeks · UTC",
    endDate: "2026-03-01",
    weeks: 12,
    counts,
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Picture drawing on its own: each picture drawn alone in the worker pool, then a burst larger than the pool takes. */
export async function benchPictures(options: { quick: boolean }): Promise<void> {
  const count = options.quick ? 8 : 30;
  const renderer = createPictureRenderer();
  try {
    // The first drawing starts a worker thread; it is not counted.
    await renderer.png(board(0));
    const timed = async (svg: string) => {
      const started = performance.now();
      const outcome = await renderer.png(svg);
      if (!outcome.ok) throw new Error(`picture not drawn: ${outcome.detail}`);
      return performance.now() - started;
    };
    const boards: number[] = [];
    const heatmaps: number[] = [];
    for (let i = 1; i <= count; i++) boards.push(await timed(board(i)));
    for (let i = 1; i <= count; i++) heatmaps.push(await timed(heatmap(i)));
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => renderer.png(board(100 + i))));
    const skipped = burst.filter((outcome) => !outcome.ok).length;
    console.log("\nPictures: drawn alone in the worker pool (the bot's event loop never draws)");
    console.log(`  leaderboard (800 px wide, 2×)  p50 ${median(boards).toFixed(1)} ms   (${count} pictures)`);
    console.log(
      `  streak heat-map (2×)           p50 ${median(heatmaps).toFixed(1)} ms   (${count} pictures)`,
    );
    console.log(
      `  40 new boards at once: ${40 - skipped} drawn, ${skipped} answered "busy" at once (the reply goes without)`,
    );
  } finally {
    await renderer.close();
  }
}
