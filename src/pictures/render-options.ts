import { createRequire } from "node:module";
import type { ResvgRenderOptions } from "@resvg/resvg-js";

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
