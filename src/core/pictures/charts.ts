import { baseline, cleanText, escapeXml, px, textWidth, truncateToWidth } from "./svg.js";

// Charts for the web dashboard: drawn on the page's light background (unlike the chat pictures' dark
// card), scaled by their viewBox to the width of the column they sit in.

/** Colours that read on white: text 15:1, muted text 6:1, bars 5:1 (WCAG asks 4.5:1 and 3:1). */
export const lightPalette = {
  text: "#1f2328",
  muted: "#59636e",
  bar: "#0969da",
  track: "#eaeef2",
} as const;

export interface Bar {
  label: string;
  value: number;
  /** What the bar's end says; the value itself unless told, e.g. "4 (80%)". */
  valueText?: string;
}

export interface BarChart {
  /** Read out as the chart's name (aria-label and title). */
  title: string;
  bars: readonly Bar[];
  /** The value a full-width bar stands for (100 for percentages); the largest value unless told. */
  max?: number;
  /** Said in place of bars when there are none. */
  empty?: string;
}

const WIDTH = 640;
const PAD = 12;
const FONT_SIZE = 13;
const ROW = 26;
const BAR_HEIGHT = 16;
const GAP = 8;
/** A long label is cut to this; a short one takes only its own width. */
const MAX_LABEL_WIDTH = 220;
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/**
 * A horizontal bar chart as an SVG string: one row per bar, its label, the bar and its figure.
 * Accessible by name (role="img", aria-label, <title>); the page shows the same figures in a table.
 */
export function barChartSvg(chart: BarChart): string {
  const title = cleanText(chart.title);
  const open = (height: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${px(height)}" class="bar-chart" role="img" aria-label="${escapeXml(title)}" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">`;
  const heading = `<title>${escapeXml(title)}</title>`;
  if (chart.bars.length === 0) {
    const height = PAD * 2 + ROW;
    const text = escapeXml(cleanText(chart.empty ?? "Nothing to show yet."));
    return [
      open(height),
      heading,
      `<text x="${PAD}" y="${px(baseline(PAD + ROW / 2, FONT_SIZE))}" fill="${lightPalette.muted}">${text}</text>`,
      "</svg>",
    ].join("\n");
  }

  const labels = chart.bars.map((bar) => truncateToWidth(cleanText(bar.label), MAX_LABEL_WIDTH, FONT_SIZE));
  const values = chart.bars.map((bar) => cleanText(bar.valueText ?? String(bar.value)));
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, FONT_SIZE)));
  const valueWidth = Math.max(...values.map((v) => textWidth(v, FONT_SIZE)));
  const barLeft = PAD + labelWidth + GAP;
  const barRoom = Math.max(WIDTH - PAD - valueWidth - GAP - barLeft, 40);
  const top = Math.max(chart.max ?? 0, ...chart.bars.map((b) => b.value), Number.MIN_VALUE);
  const height = PAD * 2 + ROW * chart.bars.length;

  const rows = chart.bars.map((bar, i) => {
    const middle = PAD + ROW * i + ROW / 2;
    const textY = px(baseline(middle, FONT_SIZE));
    const barY = px(middle - BAR_HEIGHT / 2);
    const length = (Math.max(bar.value, 0) / top) * barRoom;
    return [
      "<g>",
      `<text x="${PAD}" y="${textY}" fill="${lightPalette.text}">${escapeXml(labels[i] ?? "")}</text>`,
      `<rect x="${px(barLeft)}" y="${barY}" width="${px(barRoom)}" height="${BAR_HEIGHT}" rx="3" fill="${lightPalette.track}"/>`,
      length > 0
        ? `<rect x="${px(barLeft)}" y="${barY}" width="${px(length)}" height="${BAR_HEIGHT}" rx="3" fill="${lightPalette.bar}"/>`
        : "",
      `<text x="${px(barLeft + barRoom + GAP)}" y="${textY}" fill="${lightPalette.text}">${escapeXml(values[i] ?? "")}</text>`,
      "</g>",
    ]
      .filter(Boolean)
      .join("");
  });
  return [open(height), heading, ...rows, "</svg>"].join("\n");
}
