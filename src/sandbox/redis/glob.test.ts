import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatcher } from "./glob.js";

/** A line-by-line port of Redis's stringmatchlen (util.c), backtracking and all: the reference. */
function redisMatch(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  while (pi < p.length && si < s.length) {
    const c = p[pi];
    if (c === "*") {
      while (p[pi + 1] === "*") pi++;
      if (pi + 1 === p.length) return true;
      for (; si < s.length; si++) if (redisMatch(p.slice(pi + 1), s.slice(si))) return true;
      return false;
    }
    if (c === "?") {
      si++;
    } else if (c === "[") {
      pi++;
      const not = p[pi] === "^";
      if (not) pi++;
      let match = false;
      for (;;) {
        if (p[pi] === "\\" && p.length - pi >= 2) {
          pi++;
          if (p[pi] === s[si]) match = true;
        } else if (p[pi] === "]") {
          break;
        } else if (pi >= p.length) {
          pi--;
          break;
        } else if (p.length - pi >= 3 && p[pi + 1] === "-") {
          const a = p.charCodeAt(pi);
          const b = p.charCodeAt(pi + 2);
          const x = s.charCodeAt(si);
          pi += 2;
          if (x >= Math.min(a, b) && x <= Math.max(a, b)) match = true;
        } else if (p[pi] === s[si]) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (c === "\\" && p.length - pi >= 2) pi++;
      if (p[pi] !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === s.length) {
      while (p[pi] === "*") pi++;
      break;
    }
  }
  return pi === p.length && si === s.length;
}

describe("glob patterns", () => {
  it("given any small pattern and key, matches exactly as Redis's stringmatchlen does", () => {
    const pattern = fc.array(fc.constantFrom("a", "b", "c", "*", "?", "[", "]", "^", "-", "\\"), {
      maxLength: 9,
    });
    const key = fc.array(fc.constantFrom("a", "b", "c", "-", "]", "\\", "^"), { minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(pattern, key, (p, k) => {
        const [pat, str] = [p.join(""), k.join("")];
        expect(globMatcher(pat)(str)).toBe(pat === "*" || redisMatch(pat, str));
      }),
      { numRuns: 5_000 },
    );
  });

  it("given the empty key, only * (KEYS * does not filter) and the empty pattern match", () => {
    expect(globMatcher("*")("")).toBe(true);
    expect(globMatcher("")("")).toBe(true);
    expect(globMatcher("**")("")).toBe(false);
    expect(globMatcher("?")("")).toBe(false);
  });

  it("given a pattern that makes backtracking explode, answers (a backtracking matcher would not finish)", () => {
    expect(globMatcher(`${"*a".repeat(30)}*b`)("a".repeat(5_000))).toBe(false);
  });
});
