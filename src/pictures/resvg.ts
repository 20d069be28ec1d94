import { createRequire } from "node:module";
import type { ResvgRenderOptions } from "@resvg/resvg-js";
import type { PictureRenderer } from "../core/ports.js";

/** Twice the SVG's own size, so text stays crisp on high-density screens in Discord and Slack. */
export const PICTURE_SCALE = 2;

const require = createRequire(import.meta.url);

/** The bundled DejaVu Sans files: the only fonts used, so every machine draws the same pixels. */
export function fontFiles(): string[] {
  return [
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
  ];
}

export function renderOptions(): ResvgRenderOptions {
  return {
    fitTo: { mode: "zoom", value: PICTURE_SCALE },
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: "DejaVu Sans" },
    logLevel: "off",
  };
}

type Resvg = typeof import("@resvg/resvg-js");
let loading: Promise<Resvg> | undefined;

/** Pictures kept by their SVG: a board seen by a whole cohort is drawn once until it changes. */
const CACHED_PICTURES = 64;

/** Renders SVG to PNG with resvg; the native module loads on the first picture, not at start-up. */
export function createPictureRenderer(): PictureRenderer {
  let options: ResvgRenderOptions | undefined;
  // Insertion order doubles as recency: a hit is moved to the end, the oldest is evicted first.
  const drawn = new Map<string, Promise<Uint8Array>>();
  const draw = async (svg: string): Promise<Uint8Array> => {
    // A failed load is not remembered, so the next picture tries again.
    loading ??= import("@resvg/resvg-js").catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const resvg = await loading;
    options ??= renderOptions();
    // renderAsync draws on libuv's thread pool, so a picture does not stall the bot's event loop.
    const image = await resvg.renderAsync(svg, options);
    return image.asPng();
  };
  return {
    png(svg: string): Promise<Uint8Array> {
      const cached = drawn.get(svg);
      if (cached) {
        drawn.delete(svg);
        drawn.set(svg, cached);
        return cached;
      }
      // Concurrent requests for the same picture share one drawing; a failed one is forgotten.
      const picture = draw(svg);
      picture.catch(() => drawn.delete(svg));
      drawn.set(svg, picture);
      if (drawn.size > CACHED_PICTURES) {
        const oldest = drawn.keys().next().value;
        if (oldest !== undefined) drawn.delete(oldest);
      }
      return picture;
    },
  };
}
