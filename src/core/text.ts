/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * A name people chose, made inert inside the core's Markdown: an invisible break after "]" keeps
 * "[free nitro](https://…)" from becoming a masked link when it is shown to a whole cohort.
 */
export function inertName(name: string): string {
  return name.replace(/\]\(/g, "]\u200b(");
}

/** A display name is drawn and shown at most this many user-perceived characters long. */
export const NAME_MAX_GRAPHEMES = 32;
/**
 * And at most this many code points: one grapheme can hold thousands of combining marks, which
 * cost a renderer time to stack while showing as one character.
 */
export const NAME_MAX_CODE_POINTS = 64;

const NAME_ELLIPSIS = "…";
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * A display name within both budgets: whole graphemes while they fit and "…" when anything was cut,
 * so the result has at most NAME_MAX_GRAPHEMES graphemes and NAME_MAX_CODE_POINTS code points; a
 * name that fits is returned as it is, and cutting a cut name changes nothing. Only a first
 * grapheme too big on its own is cut inside, after its base character.
 */
export function cappedName(name: string): string {
  // Every name read goes through here; a short one has no more code points or graphemes than UTF-16 units.
  if (name.length <= NAME_MAX_GRAPHEMES) return name;
  // Only the first NAME_MAX_CODE_POINTS + 1 code points are ever looked at, however long the name.
  // A grapheme break depends on what comes before it and the one code point after, so the head's
  // breaks are the whole name's; only its last grapheme may be cut short, and that one is never kept.
  const head: string[] = [];
  for (const point of name) {
    if (head.length > NAME_MAX_CODE_POINTS) break;
    head.push(point);
  }
  const clusters = Array.from(graphemes.segment(head.join("")), (s) => s.segment);
  if (head.length <= NAME_MAX_CODE_POINTS && clusters.length <= NAME_MAX_GRAPHEMES) return name;

  const roomForPoints = NAME_MAX_CODE_POINTS - NAME_ELLIPSIS.length;
  let kept = "";
  let used = 0;
  for (const [index, cluster] of clusters.entries()) {
    if (index >= NAME_MAX_GRAPHEMES - 1) break;
    const points = Array.from(cluster);
    if (used + points.length > roomForPoints) {
      // Only a first grapheme is cut inside; a joiner left at its end would join nothing.
      const start = points.slice(0, roomForPoints).join("");
      if (index === 0) kept = start.replace(/\u200d+$/u, "");
      break;
    }
    kept += cluster;
    used += points.length;
  }
  return kept.trimEnd() + NAME_ELLIPSIS;
}
