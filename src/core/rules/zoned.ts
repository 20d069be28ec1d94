import { formatterPerZone, parseCalendarDate } from "./time.js";

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormat = formatterPerZone("en-US", {
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

function partsIn(instant: Date, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The first instant of a calendar date in a zone (midnight, or the end of a DST gap at midnight). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const utcMidnight = parseCalendarDate(date);
  if (utcMidnight === undefined) throw new RangeError(`not a calendar date: ${date}`);
  // Two passes settle the offset even when midnight sits next to a DST change.
  let guess = utcMidnight - zoneOffsetMs(new Date(utcMidnight), timeZone);
  guess = utcMidnight - zoneOffsetMs(new Date(guess), timeZone);
  const p = partsIn(new Date(guess), timeZone);
  const landed = Date.UTC(p.year, p.month - 1, p.day);
  // Landed on the day before (midnight skipped by DST): step forward to the day's first instant.
  return landed < utcMidnight ? new Date(guess + 3_600_000) : new Date(guess);
}

const displayFormat = formatterPerZone("en-GB", {
  weekday: "short",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});

/** "Mon 2026-03-09 09:00 CET": a fire time as a person in that zone reads it. */
export function formatInZone(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    displayFormat(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
