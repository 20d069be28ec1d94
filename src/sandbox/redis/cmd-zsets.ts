/** Sorted-set commands (t_zset.c); ZUNION/ZINTER live in cmd-zsets-combine.ts. */

import { scanOptions, scanPage } from "./cmd-keys.js";
import { at, type Command, command, rankRange, word } from "./command.js";
import { doubleArg, formatDouble, intArg } from "./numbers.js";
import { err, RedisError, type Reply } from "./reply.js";
import { cost, type Store, type ZSetValue } from "./store.js";
import {
  inLexRange,
  inScoreRange,
  parseLexRange,
  parseScoreRange,
  rank,
  removeMember,
  setScore,
  sorted,
} from "./zset.js";

const NAN_SCORE = "ERR resulting score is not a number (NaN)";

/** Room for a reply of `count` members, with their scores formatted if `scores`. */
function roomForReply(store: Store, count: number, scores: boolean): void {
  store.ensureSlots(scores ? 3 * count : count, scores ? count * cost.number : 0);
}

function withScores(z: ZSetValue, list: string[], scores: boolean): Reply[] {
  if (!scores) return list;
  return list.flatMap((m) => [m, formatDouble(z.m.get(m) ?? 0)]);
}

function zadd(store: Store, a: string[], incrOnly: boolean): Reply {
  const key = at(a, 0);
  const flags = new Set<string>(incrOnly ? ["incr"] : []);
  let i = 1;
  while (!incrOnly && i < a.length && ["nx", "xx", "ch", "incr", "gt", "lt"].includes(word(a[i]))) {
    flags.add(word(a[i]));
    i++;
  }
  const rest = a.slice(i);
  if (rest.length === 0 || rest.length % 2 !== 0) throw err.syntax();
  const [nx, xx, gt, lt, ch, incr] = ["nx", "xx", "gt", "lt", "ch", "incr"].map((f) => flags.has(f));
  if (incr && rest.length > 2)
    throw new RedisError("ERR INCR option supports a single increment-element pair");
  if (nx && xx) throw new RedisError("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new RedisError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  const pairs: [number, string][] = [];
  for (let j = 0; j < rest.length; j += 2) pairs.push([doubleArg(at(rest, j)), at(rest, j + 1)]);
  let z = store.get(key, "zset");
  if (!z && xx) return incr ? null : 0;
  z ??= store.getOrCreate(key, "zset");
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  for (const [score, member] of pairs) {
    const current = z.m.get(member);
    if (current !== undefined) {
      if (nx) continue;
      const next = incr ? current + score : score;
      if (Number.isNaN(next)) throw new RedisError(NAN_SCORE);
      if ((gt && next <= current) || (lt && next >= current)) continue;
      processed++;
      last = next;
      if (next !== current) {
        setScore(store, z, member, next);
        updated++;
      }
    } else {
      if (xx) continue;
      setScore(store, z, member, score);
      added++;
      processed++;
      last = score;
    }
  }
  store.dropIfEmpty(key, z);
  if (incr) return processed > 0 ? formatDouble(last) : null;
  return ch ? added + updated : added;
}

type RangeKind = "rank" | "score" | "lex";

/** ZRANGE and its older forms; `preset` fixes the kind and direction (ZREVRANGE, ZRANGEBYSCORE, …). */
function zrange(store: Store, a: string[], preset?: { kind: RangeKind; rev: boolean }): Reply {
  let kind: RangeKind | null = preset?.kind ?? null;
  let rev: boolean | null = preset ? preset.rev : null;
  let scores = false;
  let limit: [number, number] | null = null;
  for (let j = 3; j < a.length; j++) {
    const o = word(a[j]);
    if (o === "withscores") scores = true;
    else if (o === "limit" && a.length - j - 1 >= 2) {
      limit = [intArg(at(a, j + 1)), intArg(at(a, j + 2))];
      j += 2;
    } else if (rev === null && o === "rev") rev = true;
    else if (kind === null && o === "bylex") kind = "lex";
    else if (kind === null && o === "byscore") kind = "score";
    else throw err.syntax();
  }
  kind ??= "rank";
  rev ??= false;
  if (limit && kind === "rank") {
    throw new RedisError(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
  }
  if (scores && kind === "lex") {
    throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  const [lo, hi] = rev && kind !== "rank" ? [at(a, 2), at(a, 1)] : [at(a, 1), at(a, 2)];
  let pick: (z: ZSetValue) => string[];
  if (kind === "rank") {
    const start = intArg(lo);
    const stop = intArg(hi);
    pick = (z) => {
      const order = sorted(z);
      const r = rankRange(start, stop, order.length);
      if (!r) return [];
      roomForReply(store, r[1] - r[0] + 1, scores);
      return rev
        ? order.slice(order.length - 1 - r[1], order.length - r[0]).reverse()
        : order.slice(r[0], r[1] + 1);
    };
  } else {
    const inRange =
      kind === "score"
        ? (
            (r) => (z: ZSetValue, m: string) =>
              inScoreRange(r, z.m.get(m) ?? 0)
          )(parseScoreRange(lo, hi))
        : (
            (r) => (_z: ZSetValue, m: string) =>
              inLexRange(r, m)
          )(parseLexRange(lo, hi));
    const [offset, count] = limit ?? [0, -1];
    pick = (z) => {
      if (offset < 0) return [];
      const order = sorted(z);
      roomForReply(store, count >= 0 ? Math.min(count, order.length) : order.length, scores);
      const out: string[] = [];
      let skip = offset;
      for (let n = 0; n < order.length; n++) {
        if (count >= 0 && out.length >= count) break;
        const m = order[rev ? order.length - 1 - n : n] ?? "";
        if (!inRange(z, m)) continue;
        if (skip > 0) skip--;
        else out.push(m);
      }
      return out;
    };
  }
  const z = store.get(at(a, 0), "zset");
  return z ? withScores(z, pick(z), scores) : [];
}

function count(store: Store, a: string[], lex: boolean): Reply {
  const inRange = lex
    ? (
        (r) => (_z: ZSetValue, m: string) =>
          inLexRange(r, m)
      )(parseLexRange(at(a, 1), at(a, 2)))
    : (
        (r) => (z: ZSetValue, m: string) =>
          inScoreRange(r, z.m.get(m) ?? 0)
      )(parseScoreRange(at(a, 1), at(a, 2)));
  const z = store.get(at(a, 0), "zset");
  if (!z) return 0;
  let n = 0;
  for (const m of sorted(z)) if (inRange(z, m)) n++;
  return n;
}

function zrank(store: Store, a: string[], rev: boolean, name: string): Reply {
  if (a.length > 3) throw err.arity(name);
  const withScore = a.length === 3;
  if (withScore && word(a[2]) !== "withscore") throw err.syntax();
  const z = store.get(at(a, 0), "zset");
  const r = z ? rank(z, at(a, 1)) : null;
  if (!z || r === null) return null;
  const n = rev ? z.m.size - 1 - r : r;
  return withScore ? [n, formatDouble(z.m.get(at(a, 1)) ?? 0)] : n;
}

function zpop(store: Store, a: string[], max: boolean): Reply {
  if (a.length > 2) throw err.syntax();
  const key = at(a, 0);
  const n = a.length === 2 ? intArg(at(a, 1), err.mustBePositive) : 1;
  if (n < 0) throw err.mustBePositive();
  const z = store.get(key, "zset");
  if (!z || n === 0) return [];
  const order = sorted(z);
  roomForReply(store, Math.min(n, order.length), true);
  const picked = max ? order.slice(-n).reverse() : order.slice(0, n);
  const out = withScores(z, picked, true);
  for (const m of picked) removeMember(store, z, m);
  store.dropIfEmpty(key, z);
  return out;
}

function removeWhere(store: Store, key: string, pick: (z: ZSetValue) => string[]): Reply {
  const z = store.get(key, "zset");
  if (!z) return 0;
  store.ensureSlots(z.m.size, 0, "the data"); // the members picked
  const gone = pick(z);
  for (const m of gone) removeMember(store, z, m);
  store.dropIfEmpty(key, z);
  return gone.length;
}

export const zsetCommands: Command[] = [
  command(
    "zadd",
    -4,
    "write",
    "O(log(N)) for each item added, where N is the number of elements in the sorted set",
    (s, a) => zadd(s, a, false),
  ),
  command("zincrby", 4, "write", "O(log(N)) where N is the number of elements in the sorted set", (s, a) =>
    zadd(s, a, true),
  ),
  command("zscore", 3, "read", "O(1)", (s, a) => {
    const score = s.get(at(a, 0), "zset")?.m.get(at(a, 1));
    return score === undefined ? null : formatDouble(score);
  }),
  command("zmscore", -3, "read", "O(N) where N is the number of members being requested", (s, a) => {
    const z = s.get(at(a, 0), "zset");
    return a.slice(1).map((m) => {
      const score = z?.m.get(m);
      return score === undefined ? null : formatDouble(score);
    });
  }),
  command("zrank", -3, "read", "O(log(N))", (s, a) => zrank(s, a, false, "zrank")),
  command("zrevrank", -3, "read", "O(log(N))", (s, a) => zrank(s, a, true, "zrevrank")),
  command("zcard", 2, "read", "O(1)", (s, a) => s.get(at(a, 0), "zset")?.m.size ?? 0),
  command("zcount", 4, "read", "O(log(N)) with N being the number of elements in the sorted set", (s, a) =>
    count(s, a, false),
  ),
  command("zlexcount", 4, "read", "O(log(N)) with N being the number of elements in the sorted set", (s, a) =>
    count(s, a, true),
  ),
  command(
    "zrange",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a),
  ),
  command(
    "zrevrange",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a, { kind: "rank", rev: true }),
  ),
  command(
    "zrangebyscore",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a, { kind: "score", rev: false }),
  ),
  command(
    "zrevrangebyscore",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a, { kind: "score", rev: true }),
  ),
  command(
    "zrangebylex",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a, { kind: "lex", rev: false }),
  ),
  command(
    "zrevrangebylex",
    -4,
    "read",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number returned",
    (s, a) => zrange(s, a, { kind: "lex", rev: true }),
  ),
  command(
    "zrem",
    -3,
    "write",
    "O(M*log(N)) with N the number of elements in the sorted set and M the number removed",
    (s, a) => removeWhere(s, at(a, 0), (z) => [...new Set(a.slice(1))].filter((m) => z.m.has(m))),
  ),
  command(
    "zremrangebyrank",
    4,
    "write",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number removed",
    (s, a) => {
      const start = intArg(at(a, 1));
      const stop = intArg(at(a, 2));
      return removeWhere(s, at(a, 0), (z) => {
        const r = rankRange(start, stop, z.m.size);
        return r ? sorted(z).slice(r[0], r[1] + 1) : [];
      });
    },
  ),
  command(
    "zremrangebyscore",
    4,
    "write",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number removed",
    (s, a) => {
      const r = parseScoreRange(at(a, 1), at(a, 2));
      return removeWhere(s, at(a, 0), (z) => sorted(z).filter((m) => inScoreRange(r, z.m.get(m) ?? 0)));
    },
  ),
  command(
    "zremrangebylex",
    4,
    "write",
    "O(log(N)+M) with N the number of elements in the sorted set and M the number removed",
    (s, a) => {
      const r = parseLexRange(at(a, 1), at(a, 2));
      return removeWhere(s, at(a, 0), (z) => sorted(z).filter((m) => inLexRange(r, m)));
    },
  ),
  command(
    "zpopmin",
    -2,
    "write",
    "O(log(N)*M) with N the number of elements in the sorted set and M the number popped",
    (s, a) => zpop(s, a, false),
  ),
  command(
    "zpopmax",
    -2,
    "write",
    "O(log(N)*M) with N the number of elements in the sorted set and M the number popped",
    (s, a) => zpop(s, a, true),
  ),
  command("zscan", -3, "read", "O(1) for every call. O(N) for a complete iteration", (s, a) => {
    const o = scanOptions(a, 2, false);
    const z = s.get(at(a, 0), "zset");
    const list = z ? sorted(z) : [];
    return scanPage(
      s,
      list,
      o,
      (m) => m,
      (m) => [m, formatDouble(z?.m.get(m) ?? 0)],
      list.length <= 128,
    );
  }),
];
