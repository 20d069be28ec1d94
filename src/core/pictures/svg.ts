/** Shared pieces of the pictures: safe text, a width estimate for DejaVu Sans, and the palette. */

const FONT_FAMILY = "DejaVu Sans";

/** One dark card for every picture: it reads well in Discord's and Slack's dark and light themes. */
export const palette = {
  card: "#161b22",
  cardBorder: "#30363d",
  text: "#e6edf3",
  muted: "#8b949e",
  bar: "#3b82f6",
  callerBar: "#f59e0b",
  callerRow: "#3a2d12",
  callerText: "#fbbf24",
  /** Heat-map shades from "no activity" to "busiest", GitHub-contribution greens. */
  shades: ["#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353"],
  today: "#e6edf3",
} as const;

/** Escapes text for an XML attribute or text node. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// Controls (C0, C1, DEL), bidi embeddings/overrides/isolates (they could reorder the text around them),
// lone surrogates and U+FFFE/U+FFFF: XML cannot carry them or a picture cannot show them.
const UNSHOWABLE = /[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069\ufffe\uffff]/gu;

/** Untrusted user text made fit to draw: controls removed, runs of whitespace collapsed. */
export function cleanText(text: string): string {
  return text.replace(UNSHOWABLE, " ").replace(/\s+/g, " ").trim();
}

// Advance widths of DejaVu Sans for U+0020..U+007E, in thousandths of an em (from the font's hmtx table).
const REGULAR_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
  636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
  295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
  500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
  392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD_WIDTHS = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
  696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
  372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
  500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
  478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** Marks, joiners and variation selectors take no room of their own. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;
/** Anything outside ASCII is guessed at a full em, wider than almost every DejaVu glyph, so we err short. */
const OTHER_WIDTH = 1000;

export type FontWeight = "normal" | "bold";

function codePointWidth(char: string, weight: FontWeight): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code <= 0x7e) {
    return (weight === "bold" ? BOLD_WIDTHS : REGULAR_WIDTHS)[code - 0x20] ?? OTHER_WIDTH;
  }
  return ZERO_WIDTH.test(char) ? 0 : OTHER_WIDTH;
}

/** The estimated drawn width of text in DejaVu Sans, in pixels. */
export function textWidth(text: string, fontSize: number, weight: FontWeight = "normal"): number {
  let thousandths = 0;
  for (const char of text) thousandths += codePointWidth(char, weight);
  return (thousandths * fontSize) / 1000;
}

const ELLIPSIS = "…";
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Cuts text at a grapheme boundary and adds "…" so it fits in maxWidth pixels; short text is unchanged. */
export function truncateToWidth(
  text: string,
  maxWidth: number,
  fontSize: number,
  weight: FontWeight = "normal",
): string {
  if (textWidth(text, fontSize, weight) <= maxWidth) return text;
  const room = maxWidth - textWidth(ELLIPSIS, fontSize, weight);
  let kept = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const width = textWidth(segment, fontSize, weight);
    if (used + width > room) break;
    kept += segment;
    used += width;
  }
  return kept.trimEnd() + ELLIPSIS;
}

/** Untrusted text cleaned, fitted to a width and escaped, ready to go between <text> tags. */
export function safeText(
  text: string,
  maxWidth: number,
  fontSize: number,
  weight: FontWeight = "normal",
): string {
  return escapeXml(truncateToWidth(cleanText(text), maxWidth, fontSize, weight));
}

/** Fixed-precision numbers keep the SVG identical for identical input and short to read. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** Where a text of `fontSize` sits so that it is centred on `centre`: its baseline. */
export function baseline(centre: number, fontSize: number): number {
  return centre + fontSize * 0.35;
}

/** How a card draws its title and the subtitle under it. */
export interface CardHeading {
  /** The card's padding: the title's left edge, and the space above it. */
  pad: number;
  titleSize: number;
  subtitleSize: number;
  /** Between the title's baseline and the top of the subtitle. */
  gap: number;
}

/**
 * A card's bold title and, when it has any text, its muted subtitle, each cut to `width`;
 * `bottom` is the baseline of the last line drawn.
 */
export function cardHeading(
  heading: CardHeading,
  text: { title: string; subtitle?: string | undefined },
  width: number,
): { lines: string[]; bottom: number } {
  const { pad, titleSize, subtitleSize, gap } = heading;
  let bottom = pad + titleSize;
  const lines = [
    `<text x="${pad}" y="${bottom}" font-size="${titleSize}" font-weight="bold" fill="${palette.text}">${safeText(text.title, width, titleSize, "bold")}</text>`,
  ];
  if (text.subtitle !== undefined && cleanText(text.subtitle) !== "") {
    bottom += gap + subtitleSize;
    lines.push(
      `<text x="${pad}" y="${bottom}" font-size="${subtitleSize}" fill="${palette.muted}">${safeText(text.subtitle, width, subtitleSize)}</text>`,
    );
  }
  return { lines, bottom };
}

export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="${FONT_FAMILY}">`,
    `<rect x="0.5" y="0.5" width="${px(width - 1)}" height="${px(height - 1)}" rx="12" fill="${palette.card}" stroke="${palette.cardBorder}"/>`,
    ...body,
    "</svg>",
  ].join("\n");
}
