import { err, ok, type Result } from "../result.js";
import { editDistance } from "../text.js";

const zoneCache = new Map<string, string | null>();

/** The canonical IANA name for a zone a person typed ("europe/berlin" → "Europe/Berlin"), if it is one. */
export function canonicalTimeZone(input: string): string | undefined {
  const cached = zoneCache.get(input);
  if (cached !== undefined) return cached ?? undefined;
  let canonical: string | null = null;
  // Offsets like "+02:00" are valid to Intl but are not zones: they ignore DST.
  if (/^[A-Za-z]/.test(input)) {
    try {
      canonical = new Intl.DateTimeFormat("en-US", { timeZone: input }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
  }
  zoneCache.set(input, canonical);
  return canonical ?? undefined;
}

let knownZones: string[] | undefined;
function allZones(): string[] {
  knownZones ??= [...Intl.supportedValuesOf("timeZone"), "UTC"];
  return knownZones;
}

/** Up to `limit` real zone names closest to what was typed: same city first, then by spelling. */
function suggestTimeZones(input: string, limit = 3): string[] {
  const wanted = input.toLowerCase().replace(/[\s-]+/g, "_");
  const scored = allZones().map((zone) => {
    const lower = zone.toLowerCase();
    const city = lower.slice(lower.lastIndexOf("/") + 1);
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, city) + 1);
    const contains = lower.includes(wanted) && wanted.length >= 3 ? -10 : 0;
    return { zone, score: distance + contains };
  });
  scored.sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone));
  return scored.slice(0, limit).map((s) => s.zone);
}

export type ZoneResult = Result<string, { suggestions: string[] }>;

export function resolveTimeZone(input: string): ZoneResult {
  const canonical = canonicalTimeZone(input.trim());
  return canonical ? ok(canonical) : err({ suggestions: suggestTimeZones(input.trim()) });
}

/** One formatter a time zone, made on first use: making an Intl.DateTimeFormat is slow, using one is not. */
export function formatterPerZone(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): (timeZone: string) => Intl.DateTimeFormat {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formatters.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { timeZone, ...options });
      formatters.set(timeZone, format);
    }
    return format;
  };
}

const dateFormat = formatterPerZone("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" });

/** The calendar date (YYYY-MM-DD) an instant falls on in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  return dateFormat(timeZone).format(instant);
}

/** Parses a strict YYYY-MM-DD calendar date; rejects 2025-02-30 and the like. */
export function parseCalendarDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    return undefined;
  }
  return utc;
}

const DAY_MS = 86_400_000;

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); DST cannot skew it. */
export function daysBetween(from: string, to: string): number {
  const a = parseCalendarDate(from);
  const b = parseCalendarDate(to);
  if (a === undefined || b === undefined) throw new RangeError(`not a calendar date: ${from} / ${to}`);
  return Math.round((b - a) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  const start = parseCalendarDate(date);
  if (start === undefined) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(start + days * DAY_MS).toISOString().slice(0, 10);
}
