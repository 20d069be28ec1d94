import { cappedName } from "../text.js";
import {
  baseline,
  type CardHeading,
  cardHeading,
  escapeXml,
  palette,
  px,
  safeText,
  svgDocument,
} from "./svg.js";

export interface LeaderboardRow {
  rank: number;
  name: string;
  points: number;
  isCaller: boolean;
}

export interface LeaderboardChart {
  /** e.g. "Spring 2026 · week 3" */
  title: string;
  /** e.g. "This week's points" */
  subtitle?: string;
  /** At most 10, already in rank order. */
  rows: LeaderboardRow[];
  /** Set only when the caller is outside `rows`: drawn under a gap. */
  caller?: LeaderboardRow;
}

const LEADERBOARD_WIDTH = 800;
const MAX_LEADERBOARD_ROWS = 10;

const HEADING: CardHeading = { pad: 24, titleSize: 22, subtitleSize: 14, gap: 12 };
const PAD = HEADING.pad;
const ROW_HEIGHT = 36;
const GAP_HEIGHT = 24;
const BAR_HEIGHT = 20;
const TEXT_SIZE = 16;
const RANK_RIGHT = PAD + 56;
const NAME_X = RANK_RIGHT + 12;
export const NAME_MAX_WIDTH = 200;
/** Where every bar starts: past the widest name, so a name can never run into its bar. */
const BAR_X = NAME_X + NAME_MAX_WIDTH + 12;
const POINTS_RIGHT = LEADERBOARD_WIDTH - PAD;
const POINTS_COLUMN = 110;
/** The top score's bar width; every other bar is its share of this. */
export const BAR_MAX_WIDTH = POINTS_RIGHT - POINTS_COLUMN - BAR_X;
/** A positive score too small to see would look like zero. */
const MIN_BAR_WIDTH = 2;

function finitePoints(points: number): number {
  return Number.isFinite(points) ? points : 0;
}

function formatPoints(points: number): string {
  const whole = Math.round(finitePoints(points));
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${grouped} ${whole === 1 ? "pt" : "pts"}`;
}

function drawRow(row: LeaderboardRow, top: number, topScore: number, highlighted: boolean): string[] {
  const centre = top + ROW_HEIGHT / 2;
  const weight = highlighted ? "bold" : "normal";
  const weightAttr = highlighted ? ' font-weight="bold"' : "";
  const textColour = highlighted ? palette.callerText : palette.text;
  const points = finitePoints(row.points);
  const parts = [`<g data-rank="${escapeXml(String(row.rank))}" data-caller="${highlighted}">`];
  if (highlighted) {
    parts.push(
      `<rect class="highlight" x="${PAD / 2}" y="${px(top + 2)}" width="${LEADERBOARD_WIDTH - PAD}" height="${ROW_HEIGHT - 4}" rx="6" fill="${palette.callerRow}"/>`,
    );
  }
  parts.push(
    `<text x="${RANK_RIGHT}" y="${px(baseline(centre, TEXT_SIZE))}" font-size="${TEXT_SIZE}" text-anchor="end" fill="${palette.muted}"${weightAttr}>${escapeXml(`${Math.round(finitePoints(row.rank))}.`)}</text>`,
    `<text class="name" x="${NAME_X}" y="${px(baseline(centre, TEXT_SIZE))}" font-size="${TEXT_SIZE}" fill="${textColour}" clip-path="url(#name-column)"${weightAttr}>${safeText(cappedName(row.name), NAME_MAX_WIDTH, TEXT_SIZE, weight)}</text>`,
  );
  if (points > 0 && topScore > 0) {
    const width = Math.max(MIN_BAR_WIDTH, (BAR_MAX_WIDTH * points) / topScore);
    parts.push(
      `<rect class="bar" x="${BAR_X}" y="${px(centre - BAR_HEIGHT / 2)}" width="${px(width)}" height="${BAR_HEIGHT}" rx="4" fill="${highlighted ? palette.callerBar : palette.bar}"/>`,
    );
  }
  parts.push(
    `<text class="points" x="${POINTS_RIGHT}" y="${px(baseline(centre, TEXT_SIZE))}" font-size="${TEXT_SIZE}" text-anchor="end" fill="${textColour}"${weightAttr}>${escapeXml(formatPoints(points))}</text>`,
    "</g>",
  );
  return parts;
}

/** The cohort leaderboard as an 800 px wide SVG: one bar per learner, the caller's row highlighted. */
export function leaderboardSvg(chart: LeaderboardChart): string {
  const heading = cardHeading(HEADING, chart, LEADERBOARD_WIDTH - 2 * PAD);
  const body = heading.lines;
  let y = heading.bottom + 12 + 8;

  const rows = chart.rows.slice(0, MAX_LEADERBOARD_ROWS);
  if (rows.length === 0) {
    const height = y + 72;
    body.push(
      `<text class="empty" x="${LEADERBOARD_WIDTH / 2}" y="${px(y + 36)}" font-size="${TEXT_SIZE + 2}" text-anchor="middle" fill="${palette.muted}">No points yet</text>`,
    );
    return svgDocument(LEADERBOARD_WIDTH, height, body);
  }

  const caller = chart.caller;
  const topScore = Math.max(0, ...rows.map((r) => finitePoints(r.points)), finitePoints(caller?.points ?? 0));
  const height = y + rows.length * ROW_HEIGHT + (caller ? GAP_HEIGHT + ROW_HEIGHT : 0) + PAD - 8;
  body.push(
    `<defs><clipPath id="name-column"><rect x="${NAME_X}" y="0" width="${NAME_MAX_WIDTH}" height="${height}"/></clipPath></defs>`,
  );
  for (const row of rows) {
    body.push(...drawRow(row, y, topScore, row.isCaller));
    y += ROW_HEIGHT;
  }
  if (caller) {
    body.push(
      `<text class="gap" x="${NAME_X}" y="${px(baseline(y + GAP_HEIGHT / 2, TEXT_SIZE))}" font-size="${TEXT_SIZE}" fill="${palette.muted}">…</text>`,
    );
    y += GAP_HEIGHT;
    body.push(...drawRow(caller, y, topScore, true));
  }
  return svgDocument(LEADERBOARD_WIDTH, height, body);
}
