// Short answers that are numbers are compared as numbers: "6,400", "6400" and "6400 MB" match a key of
// "6400 MB"; "99.50" and "99.5 %" match "99.5%". A different number or another unit does not.

interface Quantity {
  value: number;
  /** Lower-cased, singular; "" when the answer has none. */
  unit: string;
}

const NUMBER = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)\s*(.*)$/;

function unitOf(text: string): string | undefined {
  const unit = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (unit === "") return "";
  if (unit === "%" || unit === "percent" || unit === "per cent") return "%";
  if (!/^[a-z][a-z/ ]*$/.test(unit)) return undefined;
  // "connections" and "connection" are one unit; short units (ms, s) are left alone.
  return unit.length > 3 && unit.endsWith("s") ? unit.slice(0, -1) : unit;
}

export function parseQuantity(raw: string): Quantity | undefined {
  const text = raw
    .normalize("NFKC")
    .trim()
    .replace(/[.;:!?]+$/, "");
  const match = NUMBER.exec(text);
  const digits = match?.[1];
  if (!match || !digits || !/\d/.test(digits)) return undefined;
  const unit = unitOf(match[2] ?? "");
  if (unit === undefined) return undefined;
  const value = Number(digits.replace(/,/g, ""));
  return Number.isFinite(value) ? { value, unit } : undefined;
}

/** Whether `given` states the number of `key` (a numeric key, possibly with a unit) in the key's unit or none. */
export function matchesNumber(key: string, given: string): boolean {
  const expected = parseQuantity(key);
  const answered = parseQuantity(given);
  if (!expected || !answered) return false;
  if (answered.unit !== "" && answered.unit !== expected.unit) return false;
  const scale = Math.max(1, Math.abs(expected.value));
  return Math.abs(expected.value - answered.value) <= scale * 1e-9;
}
