import type { SuggestionSource } from "../commands/args.js";
import type { CommandContext } from "../commands/command.js";
import type { Actor } from "../ports/identity.js";

export interface Suggestion {
  /** What the person sees, at most 100 characters. */
  label: string;
  /** What the argument receives. */
  value: string;
}

/** Discord shows at most 25 suggestions; no platform needs more. */
export const MAX_SUGGESTIONS = 25;

type Sources = Pick<CommandContext, "curriculum" | "store">;

let zones: readonly string[] | undefined;
function timeZones(): readonly string[] {
  zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
  return zones;
}

const clip = (text: string) => (text.length > 100 ? `${text.slice(0, 99)}…` : text);

/** Matches at the start of any word first, then anywhere; the empty string matches everything. */
function rank<T>(items: readonly T[], typed: string, words: (item: T) => string): T[] {
  const query = typed.trim().toLowerCase();
  if (query === "") return items.slice(0, MAX_SUGGESTIONS);
  const starts: T[] = [];
  const contains: T[] = [];
  for (const item of items) {
    const text = words(item).toLowerCase();
    if (text.startsWith(query) || text.split(/[\s/_·-]+/).some((word) => word.startsWith(query))) {
      starts.push(item);
    } else if (text.includes(query)) contains.push(item);
    if (starts.length >= MAX_SUGGESTIONS) break;
  }
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
}

/**
 * Values to offer while someone types an argument: weeks, tracks, the space's cohorts,
 * challenge ids and time zones. Reads only; an unknown space simply has no cohorts.
 */
export async function suggest(
  ctx: Sources,
  actor: Actor,
  source: SuggestionSource,
  typed: string,
): Promise<Suggestion[]> {
  const { curriculum } = ctx;
  switch (source) {
    case "week":
      return rank(curriculum.weeks, typed, (w) => `${w.week} ${w.title}`).map((w) => ({
        label: clip(`Week ${w.week} · ${w.title}`),
        value: String(w.week),
      }));
    case "track":
      return rank(curriculum.tracks, typed, (t) => `${t.id} ${t.name} ${t.aliases.join(" ")}`).map((t) => ({
        label: clip(`${t.name} (${t.id})`),
        value: t.id,
      }));
    case "challenge":
      return rank(curriculum.bank.challenges, typed, (c) => `${c.id} ${c.title}`).map((c) => ({
        label: clip(`${c.id} · week ${c.week} · ${c.title}`),
        value: c.id,
      }));
    case "timezone":
      return rank(timeZones(), typed, (zone) => zone).map((zone) => ({ label: zone, value: zone }));
    case "cohort": {
      const space = await ctx.store.identities.findSpace(actor);
      const cohorts = space ? await ctx.store.cohorts.list(space.id) : [];
      return rank(cohorts, typed, (c) => c.name).map((c) => ({
        label: clip(`${c.name} · from ${c.startDate}`),
        value: c.name,
      }));
    }
  }
}
