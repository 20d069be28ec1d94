/** ZUNION, ZINTER, ZDIFF and their STORE forms (zunionInterDiffGenericCommand in t_zset.c). */
import { at, type Command, command, numKeys } from "./command.js";
import { doubleArg, formatDouble, intArg } from "./numbers.js";
import { err, RedisError, type Reply } from "./reply.js";
import { cost, type Store, type ZSetValue } from "./store.js";
import { sorted } from "./zset.js";

type Op = "union" | "inter" | "diff";
/** An input read in place: a sorted set's scores, or a set's members scoring 1 (never copied). */
type Source = { entries: Map<string, number> | Set<string>; weight: number };

const size = (s: Source): number => s.entries.size;
const has = (s: Source, m: string): boolean => s.entries.has(m);
const scoreOf = (s: Source, m: string): number => (s.entries instanceof Map ? (s.entries.get(m) ?? 0) : 1);

function* pairs(s: Source): Generator<[string, number]> {
  if (s.entries instanceof Map) yield* s.entries;
  else for (const m of s.entries) yield [m, 1];
}

/** The bytes a result holding every member of `inputs` would take, as a sorted set. */
function resultBound(inputs: Source[]): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const s of inputs) {
    count += size(s);
    for (const m of s.entries.keys()) bytes += cost.zsetMember(m);
  }
  return { count, bytes };
}

function aggregate(how: string, a: number, b: number): number {
  if (how === "min") return Math.min(a, b);
  if (how === "max") return Math.max(a, b);
  const sum = a + b;
  return Number.isNaN(sum) ? 0 : sum;
}

function weighted(score: number, weight: number): number {
  const n = score * weight;
  return Number.isNaN(n) ? 0 : n;
}

function combine(store: Store, a: string[], op: Op, name: string, dest: string | null): Reply {
  const first = dest === null ? 0 : 1;
  const n = intArg(at(a, first));
  if (n < 1) throw new RedisError(`ERR at least 1 input key is needed for '${name}' command`);
  if (n > a.length - first - 1) throw err.syntax();
  const sources: Source[] = a.slice(first + 1, first + 1 + n).map((key) => {
    const e = store.entry(key);
    if (!e) return { entries: new Map(), weight: 1 };
    if (e.v.type === "zset") return { entries: e.v.m, weight: 1 };
    if (e.v.type === "set") return { entries: e.v.m, weight: 1 };
    throw err.wrongType();
  });
  let how = "sum";
  let scores = false;
  for (let j = first + 1 + n; j < a.length; ) {
    const o = at(a, j).toLowerCase();
    const remaining = a.length - j;
    if (op !== "diff" && o === "weights" && remaining >= n + 1) {
      sources.forEach((s, i) => {
        s.weight = doubleArg(at(a, j + 1 + i), () => new RedisError("ERR weight value is not a float"));
      });
      j += n + 1;
    } else if (op !== "diff" && o === "aggregate" && remaining >= 2) {
      how = at(a, j + 1).toLowerCase();
      if (how !== "sum" && how !== "min" && how !== "max") throw err.syntax();
      j += 2;
    } else if (dest === null && o === "withscores") {
      scores = true;
      j++;
    } else throw err.syntax();
  }
  // Room for the result before it is built: at most every input's members for a union,
  // the smallest input's for an intersection, the first input's for a difference.
  const bySize = [...sources].sort((x, y) => size(x) - size(y));
  const bound = resultBound(
    op === "union" ? sources : op === "inter" ? bySize.slice(0, 1) : sources.slice(0, 1),
  );
  const replySlots = dest === null ? bound.count * (scores ? 3 : 1) : 0;
  const scoreText = dest === null && scores ? bound.count * cost.number : 0;
  store.ensureSlots(replySlots, bound.bytes + scoreText, dest === null ? "the reply" : "the data");
  const result = new Map<string, number>();
  if (op === "union") {
    for (const s of sources) {
      for (const [m, score] of pairs(s)) {
        const w = weighted(score, s.weight);
        const prev = result.get(m);
        result.set(m, prev === undefined ? w : aggregate(how, prev, w));
      }
    }
  } else if (op === "inter") {
    const [smallest, ...rest] = bySize;
    if (smallest) {
      for (const [m, score] of pairs(smallest)) {
        let acc = weighted(score, smallest.weight);
        if (!rest.every((s) => has(s, m))) continue;
        for (const s of rest) acc = aggregate(how, acc, weighted(scoreOf(s, m), s.weight));
        result.set(m, acc);
      }
    }
  } else {
    const [head, ...rest] = sources;
    if (head) for (const [m, score] of pairs(head)) if (!rest.some((s) => has(s, m))) result.set(m, score);
  }
  const z: ZSetValue = { type: "zset", m: result, sorted: null };
  if (dest !== null) {
    if (result.size === 0) store.delete(dest);
    else store.put(dest, z);
    return result.size;
  }
  const out: string[] = [];
  for (const m of sorted(z)) {
    out.push(m);
    if (scores) out.push(formatDouble(result.get(m) ?? 0));
  }
  return out;
}

const UNION = "O(N)+O(M*log(M)) with N the sum of the input sizes and M the size of the result";
const INTER =
  "O(N*K)+O(M*log(M)) worst case with N the smallest input, K the number of inputs, M the result size";
const DIFF = "O(L + (N-K)log(N)) worst case, L the total number of input elements, N the result size";

const complexity: Record<Op, string> = { union: UNION, inter: INTER, diff: DIFF };

/** ZUNION, ZINTER, ZDIFF (read, `numkeys key…`) and their …STORE forms (write, `dest numkeys key…`). */
export const zsetCombineCommands: Command[] = (["union", "inter", "diff"] as const).flatMap((op) => [
  command(`z${op}`, -3, "read", complexity[op], (s, a) => combine(s, a, op, `z${op}`, null), numKeys(0)),
  command(
    `z${op}store`,
    -4,
    "write",
    complexity[op],
    (s, a) => combine(s, a, op, `z${op}store`, at(a, 0)),
    (a) => [at(a, 0), ...numKeys(1)(a)],
  ),
]);
