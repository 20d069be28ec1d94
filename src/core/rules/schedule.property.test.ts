import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actor, testCore } from "../../../test/helpers.js";
import { handleText } from "../dispatch.js";
import { nextFires } from "./schedule.js";
import { zoneOffsetMs } from "./zoned.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far ahead /schedule show looks for its five fires. */
const SHOW_HORIZON_MS = 2 * 366 * DAY_MS;

const sortedList = (values: number[]) => [...values].sort((a, b) => a - b).join(",");
const range = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .filter(([a, b]) => a < b)
    .map(([a, b]) => `${a}-${b}`);
/** `*`, or a single value, range or list within [min, max]. */
const field = (min: number, max: number) =>
  fc.oneof(
    fc.constant("*"),
    fc.integer({ min, max }).map(String),
    range(min, max),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map(sortedList),
  );

/** Fires at most once a day; never restricts both day-of-month and day-of-week (cron ORs them). */
const dailyOrSlowerCron = fc
  .record({
    minute: fc.integer({ min: 0, max: 59 }),
    hour: fc.integer({ min: 0, max: 23 }),
    dom: field(1, 28),
    month: fc.oneof(
      fc.constant("*"),
      fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }).map(sortedList),
    ),
    dow: field(0, 6),
  })
  .map((c) => `${c.minute} ${c.hour} ${c.dom} ${c.month} ${c.dom === "*" ? c.dow : "*"}`);

const zones = [...Intl.supportedValuesOf("timeZone"), "UTC"];

/** The UTC instants in /schedule show's lines: "1. Mon … CET · Mon 2026-03-09 08:00 UTC — week 2". */
function shownInstants(text: string): number[] {
  const utc = /· \w{3} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC —/g;
  return [...text.matchAll(utc)].map((m) => Date.parse(`${m[1]}T${m[2]}:00Z`));
}

/** Within 3 hours of a change of the zone's UTC offset, where the two libraries' DST rules differ. */
const nearOffsetChange = (at: number, zone: string) =>
  zoneOffsetMs(new Date(at - 3 * HOUR_MS), zone) !== zoneOffsetMs(new Date(at + 3 * HOUR_MS), zone);

/** cron-parser's fires strictly after `now`, up to and including `until`. */
function cronParserFires(cron: string, zone: string, now: Date, until: number): number[] {
  const expression = CronExpressionParser.parse(cron, { tz: zone, currentDate: now });
  const fires: number[] = [];
  for (let i = 0; i < 10; i++) {
    const at = expression.next().toDate().getTime();
    if (at > until) break;
    fires.push(at);
  }
  return fires;
}

describe("module schedule fire times", () => {
  it("given random daily-or-slower cron expressions and zones, /schedule show prints the same instants as cron-parser", async () => {
    const { core, clock } = testCore();
    const mod = actor("mod");
    let cohorts = 0;
    let compared = 0;
    let dropped = 0;

    await fc.assert(
      fc.asyncProperty(
        dailyOrSlowerCron,
        fc.constantFrom(...zones),
        fc.date({
          min: new Date("2026-01-01T00:00:00Z"),
          max: new Date("2028-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 6 }),
        async (cron, zone, now, daysAgo) => {
          clock.set(now);
          const start = new Date(now.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
          const created = await handleText(core, mod, `/cohort create c${++cohorts} ${start} UTC`);
          expect(created?.tone, created?.text).toBe("success");
          const set = await handleText(core, mod, `/schedule set ${cron} ${zone}`);
          expect(set?.tone, set?.text).toBe("success");
          const show = await handleText(core, mod, "/schedule show");
          const shown = shownInstants(show?.sections?.[0]?.text ?? "");
          expect(shown.length, show?.sections?.[0]?.text).toBeGreaterThan(0);

          // Compare up to the last shown fire (or show's horizon when it printed fewer than five).
          const until = shown.length === 5 ? (shown[4] as number) : now.getTime() + SHOW_HORIZON_MS;
          const expected = cronParserFires(cron, zone, now, until);
          const keep = (at: number) => !nearOffsetChange(at, zone);
          compared += shown.length;
          dropped += shown.filter((at) => !keep(at)).length;
          expect(shown.filter(keep).map((at) => new Date(at).toISOString())).toEqual(
            expected.filter(keep).map((at) => new Date(at).toISOString()),
          );
        },
      ),
      { numRuns: 300, seed: 20260309 },
    );

    expect(compared).toBeGreaterThanOrEqual(300);
    expect(dropped / compared).toBeLessThanOrEqual(0.1);
  });

  it("given a time in the DST gap or the repeated hour, fires once: at the gap's end, at the first occurrence", () => {
    const iso = (fires: Date[]) => fires.map((at) => at.toISOString());
    // 02:30 does not exist on 2026-03-29 in Berlin: it fires at 03:00 CEST.
    expect(iso(nextFires("30 2 * * *", "Europe/Berlin", new Date("2026-03-28T12:00:00Z"), 2))).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    // 02:30 happens twice on 2026-10-25 (CEST, then CET): it fires only at the first.
    expect(iso(nextFires("30 2 * * *", "Europe/Berlin", new Date("2026-10-24T12:00:00Z"), 2))).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });
});
