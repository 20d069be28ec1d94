import { addDays, parseCalendarDate } from "../rules/time.js";
import {
  baseline,
  type CardHeading,
  cardHeading,
  cleanText,
  escapeXml,
  palette,
  px,
  textWidth,
} from "./svg.js";

export interface HeatmapChart {
  /** e.g. "ana · 12-day streak" */
  title: string;
  /** e.g. "Last 12 weeks · Europe/Berlin" */
  subtitle?: string;
  /** The viewer's today, YYYY-MM-DD: the last cell drawn. */
  endDate: string;
  /** Columns to draw, one per Monday-to-Sunday week; 12 in Quorum. */
  weeks: number;
  /** Activities per local day (YYYY-MM-DD); a day not in the map had none. */
  counts: ReadonlyMap<string, number>;
  /** "chat" (default): the dark card drawn as a PNG; "page": light, for the web dashboard. */
  theme?: HeatmapTheme;
}

export type HeatmapTheme = "chat" | "page";

const MAX_HEATMAP_WEEKS = 53;

const HEADING: CardHeading = { pad: 20, titleSize: 18, subtitleSize: 13, gap: 8 };
const { pad: PAD, titleSize: TITLE_SIZE, subtitleSize: SUBTITLE_SIZE } = HEADING;
const LABEL_SIZE = 11;
const CELL = 18;
const CELL_GAP = 4;
const PITCH = CELL + CELL_GAP;
const DAY_LABEL_COLUMN = 36;
const MONTH_LABEL_ROW = 18;
const LEGEND_CELL = 12;
const LEGEND_PITCH = LEGEND_CELL + 3;
/** A long title widens the card up to here, then is cut. */
const MAX_WIDTH = 600;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_LABELS: [row: number, label: string][] = [
  [0, "Mon"],
  [2, "Wed"],
  [4, "Fri"],
];

/** The shade level for a day: 0 none, 1 one, 2 two or three, 3 four to six, 4 seven or more. */
export function activityLevel(count: number): 0 | 1 | 2 | 3 | 4 {
  if (!(count >= 1)) return 0;
  if (count < 2) return 1;
  if (count < 4) return 2;
  if (count < 7) return 3;
  return 4;
}

/** The fill of each level, lightest activity first. */
export const heatmapShades: readonly string[] = palette.shades;

function calendarMs(date: string): number {
  const ms = parseCalendarDate(date);
  if (ms === undefined) throw new RangeError(`not a calendar date: ${date}`);
  return ms;
}

/** 0 for Monday through 6 for Sunday. */
function weekdayIndex(date: string): number {
  return (new Date(calendarMs(date)).getUTCDay() + 6) % 7;
}

function monthOf(date: string): number {
  return new Date(calendarMs(date)).getUTCMonth();
}

function checkedWeeks(weeks: number): number {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_HEATMAP_WEEKS) {
    throw new RangeError(`weeks must be a whole number from 1 to ${MAX_HEATMAP_WEEKS}: ${weeks}`);
  }
  return weeks;
}

/** The days a heat-map shows: from the Monday `weeks - 1` weeks before endDate's week through endDate. */
export function heatmapRange(endDate: string, weeks: number): { first: string; last: string } {
  const lastMonday = addDays(endDate, -weekdayIndex(endDate));
  return { first: addDays(lastMonday, -(checkedWeeks(weeks) - 1) * 7), last: endDate };
}

/** Month names over the columns where a new month's first Monday falls, never two crowding each other. */
function monthLabels(firstMonday: string, weeks: number): { column: number; label: string }[] {
  const labels: { column: number; label: string }[] = [];
  for (let column = 0; column < weeks; column++) {
    const month = monthOf(addDays(firstMonday, column * 7));
    if (column > 0 && month === monthOf(addDays(firstMonday, (column - 1) * 7))) continue;
    // The first column's month is only a leftover when a new month begins right after it.
    if (column === 1 && labels[0]?.column === 0) labels.shift();
    labels.push({ column, label: MONTHS[month] ?? "" });
  }
  return labels;
}

/** What a day's cells and labels are drawn in: a dark card for chat, or light on a web page. */
interface HeatmapColours {
  /** The card behind the grid; none on a page, whose own background shows. */
  card: { fill: string; stroke: string } | null;
  muted: string;
  shades: readonly string[];
  /** Outlines empty days, where their shade alone is too close to the background. */
  emptyStroke: string | null;
  today: string;
  fontFamily: string;
}

const themes: Record<HeatmapTheme, HeatmapColours> = {
  chat: {
    card: { fill: palette.card, stroke: palette.cardBorder },
    muted: palette.muted,
    shades: palette.shades,
    emptyStroke: null,
    today: palette.today,
    fontFamily: "DejaVu Sans",
  },
  // Text passes 4.5:1 on white (#59636e is 6.1:1); the greens are GitHub's light contribution scale.
  page: {
    card: null,
    muted: "#59636e",
    shades: ["#eff2f5", "#aceebb", "#4ac26b", "#2da44e", "#116329"],
    emptyStroke: "#d1d9e0",
    today: "#1f2328",
    fontFamily: "DejaVu Sans, system-ui, sans-serif",
  },
};

/** The web page's shades, lightest activity first (the legend a page may repeat in text). */
export const pageHeatmapShades: readonly string[] = themes.page.shades;

export interface ActivitySummary {
  /** Days drawn, from the range's first through endDate. */
  days: number;
  activeDays: number;
  activities: number;
  /** The day with the most activities (the latest of equals); null when none had any. */
  busiest: { date: string; count: number } | null;
}

/** The figures a heat-map shows, as numbers: its text alternative. */
export function activitySummary(
  counts: ReadonlyMap<string, number>,
  first: string,
  last: string,
): ActivitySummary {
  const summary: ActivitySummary = { days: 0, activeDays: 0, activities: 0, busiest: null };
  for (let date = first; date <= last; date = addDays(date, 1)) {
    summary.days += 1;
    const count = counts.get(date) ?? 0;
    if (!(count >= 1)) continue;
    summary.activeDays += 1;
    summary.activities += count;
    if (!summary.busiest || count >= summary.busiest.count) summary.busiest = { date, count };
  }
  return summary;
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One sentence for screen readers: the picture's title and what its cells add up to. */
function altText(chart: HeatmapChart, first: string): string {
  const { days, activeDays, activities, busiest } = activitySummary(chart.counts, first, chart.endDate);
  const busiestText = busiest
    ? `; busiest day ${busiest.date} with ${counted(busiest.count, "activity", "activities")}`
    : "";
  return `${cleanText(chart.title)}. From ${first} to ${chart.endDate}: active on ${activeDays} of ${counted(days, "day", "days")}, ${counted(activities, "activity", "activities")} in all${busiestText}.`;
}

/** The picture's root, announced as one image with its alternative text and a title. */
function svgRoot(
  width: number,
  height: number,
  colours: HeatmapColours,
  alt: string,
  title: string,
  body: string[],
): string {
  const size =
    colours.card === null ? `width="100%" class="heatmap"` : `width="${px(width)}" height="${px(height)}"`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${px(width)} ${px(height)}" font-family="${colours.fontFamily}" role="img" aria-label="${escapeXml(alt)}">`,
    `<title>${escapeXml(cleanText(title))}</title>`,
    ...(colours.card
      ? [
          `<rect x="0.5" y="0.5" width="${px(width - 1)}" height="${px(height - 1)}" rx="12" fill="${colours.card.fill}" stroke="${colours.card.stroke}"/>`,
        ]
      : []),
    ...body,
    "</svg>",
  ].join("\n");
}

/**
 * A GitHub-style activity grid: one column per week (Monday on top), shaded by activities per day.
 * For chat it is a dark card with its title drawn in; on a page, light, and titled by the page.
 */
export function heatmapSvg(chart: HeatmapChart): string {
  const colours = themes[chart.theme ?? "chat"];
  const onCard = colours.card !== null;
  const weeks = checkedWeeks(chart.weeks);
  const { first } = heatmapRange(chart.endDate, weeks);
  const gridWidth = weeks * PITCH - CELL_GAP;
  const gridHeight = 7 * PITCH - CELL_GAP;
  const gridX = PAD + DAY_LABEL_COLUMN;
  const titleWidth = onCard ? textWidth(cleanText(chart.title), TITLE_SIZE, "bold") : 0;
  const subtitleWidth = onCard ? textWidth(cleanText(chart.subtitle ?? ""), SUBTITLE_SIZE) : 0;
  const width = Math.ceil(
    Math.max(gridX + gridWidth + PAD, Math.min(MAX_WIDTH, Math.max(titleWidth, subtitleWidth) + 2 * PAD)),
  );
  const lineWidth = width - 2 * PAD;

  const heading = onCard ? cardHeading(HEADING, chart, lineWidth) : { lines: [], bottom: PAD - 12 };
  const body = heading.lines;
  const gridY = heading.bottom + 12 + MONTH_LABEL_ROW;

  for (const { column, label } of monthLabels(first, weeks)) {
    body.push(
      `<text class="month" x="${gridX + column * PITCH}" y="${gridY - 6}" font-size="${LABEL_SIZE}" fill="${colours.muted}">${label}</text>`,
    );
  }
  for (const [row, label] of DAY_LABELS) {
    body.push(
      `<text x="${gridX - 8}" y="${px(baseline(gridY + row * PITCH + CELL / 2, LABEL_SIZE))}" font-size="${LABEL_SIZE}" text-anchor="end" fill="${colours.muted}">${label}</text>`,
    );
  }

  for (let column = 0; column < weeks; column++) {
    for (let row = 0; row < 7; row++) {
      const date = addDays(first, column * 7 + row);
      // Days after today stay empty: the grid ends where the viewer is.
      if (date > chart.endDate) break;
      const count = chart.counts.get(date) ?? 0;
      const level = activityLevel(count);
      const outline =
        date === chart.endDate
          ? ` stroke="${colours.today}" stroke-width="1.5"`
          : level === 0 && colours.emptyStroke
            ? ` stroke="${colours.emptyStroke}"`
            : "";
      body.push(
        `<rect class="day" data-date="${date}" data-count="${escapeXml(String(count))}" data-level="${level}" x="${gridX + column * PITCH}" y="${gridY + row * PITCH}" width="${CELL}" height="${CELL}" rx="3" fill="${colours.shades[level]}"${outline}/>`,
      );
    }
  }

  const legendY = gridY + gridHeight + 14;
  const legendRight = gridX + gridWidth;
  const moreWidth = 30;
  const cellsX = legendRight - moreWidth - colours.shades.length * LEGEND_PITCH;
  body.push(
    `<text x="${cellsX - 6}" y="${px(baseline(legendY + LEGEND_CELL / 2, LABEL_SIZE))}" font-size="${LABEL_SIZE}" text-anchor="end" fill="${colours.muted}">Less</text>`,
  );
  colours.shades.forEach((shade, level) => {
    const outline = level === 0 && colours.emptyStroke ? ` stroke="${colours.emptyStroke}"` : "";
    body.push(
      `<rect class="legend" x="${cellsX + level * LEGEND_PITCH}" y="${legendY}" width="${LEGEND_CELL}" height="${LEGEND_CELL}" rx="2" fill="${shade}"${outline}/>`,
    );
  });
  body.push(
    `<text x="${legendRight}" y="${px(baseline(legendY + LEGEND_CELL / 2, LABEL_SIZE))}" font-size="${LABEL_SIZE}" text-anchor="end" fill="${colours.muted}">More</text>`,
  );

  const height = legendY + LEGEND_CELL + PAD;
  return svgRoot(width, height, colours, altText(chart, first), chart.title, body);
}
