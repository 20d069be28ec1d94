/**
 * The JSON parse trees libpg-query returns, as the PostgreSQL policy reads them: nodes, names,
 * a walk over every node, and the refusal the policy throws from anywhere inside a check.
 */

export type Obj = Record<string, unknown>;

/** An internal refusal, turned into a PolicyRefusal by checkSubmission. */
export class Refused extends Error {
  constructor(
    readonly reason: "syntax" | "blocked" | "too-large" | "read-only",
    message: string,
  ) {
    super(message);
  }
}

export function blocked(message: string): never {
  throw new Refused("blocked", message);
}

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The `sval`s of a list of String nodes (a qualified name): [{String: {sval: "pg_catalog"}}, …]. */
export function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const s = isObj(item) && isObj(item.String) ? item.String.sval : undefined;
    return typeof s === "string" ? s : "";
  });
}

/**
 * Fields whose node type is fixed in PostgreSQL's structs, so libpg-query writes them untagged:
 * `CALL f()` is {CallStmt: {funccall: {funcname: …}}}, a UNION's sides are larg/rarg. (RangeVar
 * fields are read where they matter: checkWriteTargets.)
 */
const untagged: Record<string, string> = {
  funccall: "FuncCall",
  func: "ObjectWithArgs",
  opername: "ObjectWithArgs",
  larg: "SelectStmt",
  rarg: "SelectStmt",
  setstmt: "VariableSetStmt",
  base: "CreateStmt",
};

/**
 * Calls `visit(kind, fields)` for every node below `root`: tagged ones (an object under a key that
 * starts with a capital letter: {FuncCall: {…}}) and the untagged fields above, depth-first,
 * without recursion so that a deep tree cannot overflow the stack. Keys in `omit` are skipped on
 * `root` itself only.
 */
export function walk(root: Obj, visit: (kind: string, node: Obj) => void, omit: string[] = []): void {
  const stack: unknown[] = Object.entries(root)
    .filter(([key]) => !omit.includes(key))
    .map(([key, value]) => ({ [key]: value }));
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (!isObj(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      const code = key.charCodeAt(0);
      const kind = code >= 65 && code <= 90 ? key : untagged[key];
      if (kind !== undefined && isObj(child)) visit(kind, child);
      if (typeof child === "object" && child !== null) stack.push(child);
    }
  }
}

/** {SelectStmt: {…}} → ["SelectStmt", {…}]. */
export function tagged(value: unknown): [string, Obj] {
  const [kind, node] = Object.entries(isObj(value) ? value : {})[0] ?? ["", {}];
  return [kind, isObj(node) ? node : {}];
}

const systemSchemas = new Set(["pg_catalog", "information_schema", "pg_toast"]);

/** Is this qualified name a system catalog or view (in pg_catalog, information_schema, or pg_…)? */
export function isSystemName(parts: string[]): boolean {
  return parts.some((part, i) => {
    const p = lowerAscii(part);
    return systemSchemas.has(p) || (i === parts.length - 1 && p.startsWith("pg_"));
  });
}
