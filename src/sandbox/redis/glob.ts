/**
 * Redis's glob patterns (KEYS, SCAN MATCH): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`.
 * The pattern is read the way util.c's stringmatchlen reads it, then matched with the
 * two-pointer wildcard algorithm, which is O(pattern × string) instead of the
 * exponential backtracking a pattern like `*a*a*a*a*b` could cause.
 */

type Token = { kind: "star" } | { kind: "one"; test: (c: number) => boolean };

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const code = (at: number) => pattern.charCodeAt(at);
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "*") {
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
      i++;
    } else if (c === "?") {
      tokens.push({ kind: "one", test: () => true });
      i++;
    } else if (c === "[") {
      i++;
      const not = pattern[i] === "^";
      if (not) i++;
      const tests: ((c: number) => boolean)[] = [];
      while (i < pattern.length && pattern[i] !== "]") {
        if (pattern[i] === "\\" && i + 1 < pattern.length) {
          const lit = code(i + 1);
          tests.push((ch) => ch === lit);
          i += 2;
        } else if (i + 2 < pattern.length && pattern[i + 1] === "-") {
          const a = code(i);
          const b = code(i + 2);
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          tests.push((ch) => ch >= lo && ch <= hi);
          i += 3;
        } else {
          const lit = code(i);
          tests.push((ch) => ch === lit);
          i++;
        }
      }
      i++; // the closing "]" (or the end of an unclosed class)
      tokens.push({ kind: "one", test: (ch) => tests.some((t) => t(ch)) !== not });
    } else {
      if (c === "\\" && i + 1 < pattern.length) i++;
      const lit = code(i);
      tokens.push({ kind: "one", test: (ch) => ch === lit });
      i++;
    }
  }
  return tokens;
}

export type Matcher = (s: string) => boolean;

export function globMatcher(pattern: string): Matcher {
  // KEYS * and MATCH * do not filter at all (the empty key included).
  if (pattern === "*") return () => true;
  const tokens = compile(pattern);
  return (s) => {
    // stringmatchlen never enters its loop for an empty string: only "" matches "".
    if (s.length === 0) return pattern.length === 0;
    let t = 0;
    let i = 0;
    let starT = -1;
    let starI = 0;
    while (i < s.length) {
      const token = tokens[t];
      if (token?.kind === "one" && token.test(s.charCodeAt(i))) {
        t++;
        i++;
      } else if (token?.kind === "star") {
        starT = t++;
        starI = i;
      } else if (starT >= 0) {
        t = starT + 1;
        i = ++starI;
      } else {
        return false;
      }
    }
    while (tokens[t]?.kind === "star") t++;
    return t === tokens.length;
  };
}
