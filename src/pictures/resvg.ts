import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { PictureOutcome, PictureRenderer } from "../core/ports/pictures.js";

/** How many pictures are drawn at once, and how many more may wait; past that a reply goes without. */
export interface PictureLimits {
  /** Worker threads drawing (default: one per core but one, at most two). */
  threads: number;
  /** Pictures waiting for a thread. */
  queue: number;
  /** A thread idle this long exits; the next picture starts one again. */
  idleMs: number;
}

function defaultPictureLimits(): PictureLimits {
  return { threads: Math.max(1, Math.min(2, availableParallelism() - 1)), queue: 16, idleMs: 30_000 };
}

/** Pictures kept by their SVG: a board seen by a whole cohort is drawn once until it changes. */
const CACHED_PICTURES = 64;

/** The worker module beside this one: TypeScript under tsx (tests, `npm start`), JavaScript when built. */
function workerModule(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  return {
    filename: new URL(fromSource ? "./draw-worker.ts" : "./draw-worker.js", import.meta.url).href,
    // Resolved here, not from the working directory, which may be anywhere.
    execArgv: fromSource ? ["--import", import.meta.resolve("tsx")] : [],
  };
}

export interface PictureDrawer extends PictureRenderer {
  /** Pictures drawing or waiting now. */
  inFlight(): number;
  close(): Promise<void>;
}

/**
 * Renders SVG to PNG with resvg in a small pool of worker threads, so drawing never runs on the bot's
 * event loop and never queues past its limit: a picture that finds every thread busy and the queue
 * full is answered "busy" at once, and the reply goes out without it.
 */
export function createPictureRenderer(limits: PictureLimits = defaultPictureLimits()): PictureDrawer {
  const { filename, execArgv } = workerModule();
  const pool = new Piscina<string, Uint8Array>({
    filename,
    execArgv,
    minThreads: 0,
    maxThreads: limits.threads,
    maxQueue: limits.queue,
    idleTimeout: limits.idleMs,
  });
  let drawing = 0;
  // Insertion order doubles as recency: a hit is moved to the end, the oldest is evicted first.
  const drawn = new Map<string, Promise<PictureOutcome>>();
  const draw = async (svg: string): Promise<PictureOutcome> => {
    drawing += 1;
    try {
      return { ok: true, png: await pool.run(svg) };
    } catch (error) {
      return { ok: false, reason: "failed", detail: error instanceof Error ? error.message : String(error) };
    } finally {
      drawing -= 1;
    }
  };
  return {
    png(svg) {
      const cached = drawn.get(svg);
      if (cached) {
        drawn.delete(svg);
        drawn.set(svg, cached);
        return cached;
      }
      if (drawing >= limits.threads + limits.queue) {
        return Promise.resolve({ ok: false, reason: "busy", detail: `${drawing} pictures in hand` });
      }
      // Concurrent requests for the same picture share one drawing; a failed one is forgotten.
      const picture = draw(svg);
      void picture.then((outcome) => {
        if (!outcome.ok) drawn.delete(svg);
      });
      drawn.set(svg, picture);
      if (drawn.size > CACHED_PICTURES) {
        const oldest = drawn.keys().next().value;
        if (oldest !== undefined) drawn.delete(oldest);
      }
      return picture;
    },
    inFlight: () => drawing,
    close: () => pool.destroy(),
  };
}
