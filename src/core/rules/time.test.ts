import { describe, expect, it } from "vitest";
import {
  addDays,
  canonicalTimeZone,
  daysBetween,
  localDate,
  parseCalendarDate,
  resolveTimeZone,
} from "./time.js";

describe("time zones", () => {
  it("given any casing of a real zone, returns its canonical name", () => {
    expect(canonicalTimeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
  });

  it("given a fixed offset or a made-up name, finds no zone", () => {
    expect(canonicalTimeZone("+02:00")).toBeUndefined();
    expect(canonicalTimeZone("Mars/Olympus")).toBeUndefined();
  });

  it("given a misspelt city, suggests the real zone first", () => {
    const result = resolveTimeZone("Europe/Berlinn");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.suggestions[0]).toBe("Europe/Berlin");
  });

  it("given only a city, suggests the zone that holds it", () => {
    const result = resolveTimeZone("Sydney");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.suggestions).toContain("Australia/Sydney");
  });
});

describe("calendar dates", () => {
  it("given an instant near midnight UTC, the local date follows the zone", () => {
    const instant = new Date("2026-03-01T23:30:00Z");
    expect(localDate(instant, "UTC")).toBe("2026-03-01");
    expect(localDate(instant, "Europe/Berlin")).toBe("2026-03-02");
    expect(localDate(instant, "America/New_York")).toBe("2026-03-01");
  });

  it("given impossible dates, rejects them", () => {
    expect(parseCalendarDate("2026-02-29")).toBeUndefined();
    expect(parseCalendarDate("2026-13-01")).toBeUndefined();
    expect(parseCalendarDate("2026-3-1")).toBeUndefined();
    expect(parseCalendarDate("2028-02-29")).toBeDefined();
  });

  it("given a span across a DST change, counts whole days", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
  });
});
