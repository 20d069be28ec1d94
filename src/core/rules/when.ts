import { Cron } from "croner";
import { err, ok, type Result } from "../result.js";

export interface When {
  /** Five-field cron: minute hour day-of-month month day-of-week. */
  cron: string;
  /** How to say it back: "Mondays at 09:00", or the cron text itself. */
  description: string;
}

export interface WhenProblem {
  reason: string;
  example: string;
}

const dayNumbers: Record<string, number> = {
  sun: 0,
  sunday: 0,
  sundays: 0,
  mon: 1,
  monday: 1,
  mondays: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  tuesdays: 2,
  wed: 3,
  wednesday: 3,
  wednesdays: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  thursdays: 4,
  fri: 5,
  friday: 5,
  fridays: 5,
  sat: 6,
  saturday: 6,
  saturdays: 6,
};
const dayNames = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
const groups: Record<string, { days: string; description: string }> = {
  daily: { days: "*", description: "every day" },
  everyday: { days: "*", description: "every day" },
  weekdays: { days: "1-5", description: "weekdays" },
  weekends: { days: "0,6", description: "weekends" },
};

const EXAMPLES = "e.g. mon 09:00, weekdays 18:30, daily 07:00, or cron 0 9 * * 1";

function parseTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3]?.toLowerCase();
  if (match[2] === undefined && !half) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

const pad = (n: number) => String(n).padStart(2, "0");

function parseFriendly(text: string): Result<When, WhenProblem> | undefined {
  const match = /^([a-z,\s]+?)\s+(?:at\s+)?(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$/i.exec(text.trim());
  if (!match) return undefined;
  const [, dayText = "", timeText = ""] = match;
  const time = parseTime(timeText);
  if (!time) {
    return err({
      reason: `"${timeText}" is not a time of day`,
      example: "use 24-hour HH:MM, e.g. mon 09:00 or daily 18:30",
    });
  }
  const words = dayText
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((w) => w && w !== "and" && w !== "every");
  const clock = `${pad(time.hour)}:${pad(time.minute)}`;
  const group = words.length === 1 ? groups[words[0] ?? ""] : undefined;
  if (group) {
    return ok({
      cron: `${time.minute} ${time.hour} * * ${group.days}`,
      description: `${group.description} at ${clock}`,
    });
  }
  const days: number[] = [];
  for (const word of words) {
    const day = dayNumbers[word];
    if (day === undefined) {
      return err({
        reason: `"${word}" is not a day`,
        example: `use mon…sun, weekdays, weekends or daily, ${EXAMPLES}`,
      });
    }
    if (!days.includes(day)) days.push(day);
  }
  if (days.length === 0) return undefined;
  days.sort((a, b) => a - b);
  const names = days.map((d) => dayNames[d] ?? String(d));
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
  return ok({
    cron: `${time.minute} ${time.hour} * * ${days.join(",")}`,
    description: `${list} at ${clock}`,
  });
}

function parseCron(text: string): Result<When, WhenProblem> {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) {
    return err({
      reason: `a cron expression has 5 fields (minute hour day month weekday); "${text}" has ${fields.length}`,
      example: EXAMPLES,
    });
  }
  const cron = fields.join(" ");
  try {
    new Cron(cron, { paused: true });
  } catch (error) {
    const detail = (error as Error).message.replace(/^CronPattern: /, "");
    return err({ reason: `"${cron}" is not a valid cron expression: ${detail}`, example: EXAMPLES });
  }
  return ok({ cron, description: `cron ${cron}` });
}

/** A schedule as a moderator types it: a friendly form ("mon 09:00") or five-field cron. */
export function parseWhen(text: string): Result<When, WhenProblem> {
  const trimmed = text.trim().replace(/^cron\s+/i, "");
  if (trimmed === "") return err({ reason: "say when to post", example: EXAMPLES });
  if (/^[a-z]/i.test(trimmed)) {
    const friendly = parseFriendly(trimmed);
    return (
      friendly ??
      err({ reason: `"${trimmed}" is neither a day and time nor a cron expression`, example: EXAMPLES })
    );
  }
  return parseCron(trimmed);
}
