/**
 * The parts of the PostgreSQL submission policy (policy.ts) that look at one parse tree: a walk
 * over the JSON tree libpg-query returns, the check of every node inside a statement (functions
 * no attempt may call, in every form they can be named; relations no attempt may write), and what
 * to tell a learner about each statement kind that never runs.
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

/** Functions that reach files, other sessions, the server's configuration or run SQL from strings. */
const blockedFunctions = new Set([
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_stat_file",
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_current_logfile",
  "pg_promote",
  "pg_switch_wal",
  "pg_create_restore_point",
  "pg_log_backend_memory_contexts",
  "pg_import_system_collations",
  "pg_notify",
  "set_config",
  "loread",
  "lowrite",
  "ts_stat",
  "ts_rewrite",
  "query_to_xmlschema",
  "pg_start_backup",
  "pg_stop_backup",
  "pg_drop_replication_slot",
  "pg_create_physical_replication_slot",
  "pg_create_logical_replication_slot",
  "pg_copy_physical_replication_slot",
  "pg_copy_logical_replication_slot",
]);
const blockedFunctionPrefixes = [
  "lo_",
  "dblink",
  "pg_read_",
  "pg_ls_",
  "pg_file_",
  "pg_sleep",
  "query_to_xml",
  "database_to_xml",
  "schema_to_xml",
  "pg_backup_",
  "pg_replication_",
  "pg_logical_",
  // PostgreSQL 18's planner-statistics writers: like ANALYZE, they would change other attempts' plans.
  "pg_restore_",
  "pg_clear_",
];

/** Refuses a call of (or a reference to) function `name`; a qualified name counts by its last part. */
export function checkFunctionName(qualified: string[] | string): void {
  const parts = typeof qualified === "string" ? [qualified] : qualified;
  const name = lowerAscii(parts[parts.length - 1] ?? "");
  if (blockedFunctions.has(name) || blockedFunctionPrefixes.some((p) => name.startsWith(p)))
    blocked(`calling ${name}() is not allowed`);
}

/** A function named in a string ('pg_catalog.pg_read_file(text)'): its bare name. */
function functionNameInString(value: string): string {
  const head = value.split("(")[0] ?? "";
  return (head.split(".").pop() ?? "").replaceAll('"', "").trim();
}

/** Checks every node inside a statement: function names in every form, nested writes, nested statements. */
export function visitNested(kind: string, node: Obj): void {
  if (kind.endsWith("Stmt") && !nestedKinds.has(kind))
    blocked(kindRefusal(kind, node) ?? `${kindWords(kind)} is not allowed here`);
  if (kind === "FuncCall") {
    const name = names(node.funcname);
    checkFunctionName(name);
    const last = lowerAscii(name[name.length - 1] ?? "");
    if (last === "to_regproc" || last === "to_regprocedure")
      checkNamedInString(Array.isArray(node.args) ? node.args[0] : undefined);
  } else if (kind === "ObjectWithArgs") checkFunctionName(names(node.objname));
  else if (kind === "TypeCast") {
    const type = names(isObj(node.typeName) ? node.typeName.names : undefined).pop() ?? "";
    if (["regproc", "regprocedure"].includes(lowerAscii(type))) checkNamedInString(node.arg);
  }
  checkWriteTargets(kind, node);
}

/** A function named by a string constant ('pg_read_file'::regproc): the same deny-list. */
function checkNamedInString(arg: unknown): void {
  let value = arg;
  while (isObj(value) && isObj(value.TypeCast)) value = value.TypeCast.arg;
  const constant = isObj(value) && isObj(value.A_Const) ? value.A_Const : undefined;
  const sval = constant && isObj(constant.sval) ? constant.sval.sval : undefined;
  if (typeof sval !== "string") return;
  if (sval.includes("\\")) blocked("a function name written as a string may not contain a backslash");
  checkFunctionName(functionNameInString(sval));
}

const systemSchemas = new Set(["pg_catalog", "information_schema", "pg_toast"]);

/** Is this qualified name a system catalog or view (in pg_catalog, information_schema, or pg_…)? */
export function isSystemName(parts: string[]): boolean {
  return parts.some((part, i) => {
    const p = lowerAscii(part);
    return systemSchemas.has(p) || (i === parts.length - 1 && p.startsWith("pg_"));
  });
}

/** The parts of a RangeVar, tagged ({RangeVar: {…}}) or not. */
export function rangeVarName(value: unknown): string[] {
  const rv = isObj(value) && isObj(value.RangeVar) ? value.RangeVar : value;
  if (!isObj(rv)) return [];
  return [rv.catalogname, rv.schemaname, rv.relname].filter((p): p is string => typeof p === "string");
}

/** Where each statement kind names the relations it writes. */
const writeTargets: Record<string, string[]> = {
  InsertStmt: ["relation"],
  UpdateStmt: ["relation"],
  DeleteStmt: ["relation"],
  MergeStmt: ["relation"],
  CreateStmt: ["relation"],
  IndexStmt: ["relation"],
  AlterTableStmt: ["relation"],
  CreateTrigStmt: ["relation"],
  RenameStmt: ["relation"],
  ViewStmt: ["view"],
  CreateSeqStmt: ["sequence"],
  AlterSeqStmt: ["sequence"],
  CompositeTypeStmt: ["typevar"],
  TruncateStmt: ["relations"],
  LockStmt: ["relations"],
  CreateTableAsStmt: ["into"],
  SelectStmt: ["intoClause"],
};

/** Refuses a write to a system catalog or view (UPDATE pg_settings, ALTER TABLE pg_class, …). */
export function checkWriteTargets(kind: string, node: Obj): void {
  for (const key of writeTargets[kind] ?? []) {
    const value = node[key];
    const targets = Array.isArray(value) ? value : [isObj(value) && "rel" in value ? value.rel : value];
    for (const target of targets) {
      const parts = rangeVarName(target);
      if (isSystemName(parts)) blocked(`writing to the system catalog ${parts.join(".")} is not allowed`);
    }
  }
}

const kinds = (list: string) =>
  new Set(
    list
      .trim()
      .split(/\s+/)
      .map((name) => `${name}Stmt`),
  );
/** Statement kinds a write task may run (the top-level allow-list). */
export const writeKinds =
  kinds(`Select Insert Update Delete Merge Explain Create CreateTableAs View Index AlterTable
  Drop Truncate CreateSeq AlterSeq CreateFunction CreateTrig CompositeType CreateEnum CreateDomain Comment Rename Call
  Lock ConstraintsSet Prepare Execute Deallocate DeclareCursor Fetch ClosePortal CreateStats VariableSet`);
/** Kinds that only read or only touch the attempt's own session (allowed, but not a query). */
export const notWrites = kinds(
  "Select Explain ConstraintsSet Prepare Execute Deallocate DeclareCursor Fetch ClosePortal VariableSet",
);
/** Statements that may appear inside another one (CTEs, PREPARE, CREATE TABLE AS, views). */
export const nestedKinds = kinds("Select Insert Update Delete Merge Execute");
export const dataModifying = kinds("Insert Update Delete Merge");

const dropKinds = new Set(
  "TABLE VIEW MATVIEW INDEX SEQUENCE FUNCTION PROCEDURE ROUTINE TYPE DOMAIN TRIGGER STATISTIC_EXT"
    .split(" ")
    .map((k) => `OBJECT_${k}`),
);
const renameKinds = new Set(
  [...dropKinds, "OBJECT_COLUMN", "OBJECT_TABCONSTRAINT", "OBJECT_ATTRIBUTE", "OBJECT_DOMCONSTRAINT"].filter(
    (k) => k !== "OBJECT_STATISTIC_EXT",
  ),
);
const objectWords = (objectType: unknown) =>
  String(objectType)
    .replace(/^OBJECT_/, "")
    .replaceAll("_", " ")
    .replace("MATVIEW", "MATERIALIZED VIEW");

/** DROP and ALTER … RENAME: only the learner's own tables, views, functions, types and the like. */
export function checkDropOrRename(kind: string, node: Obj): void {
  if (kind === "DropStmt") {
    if (!dropKinds.has(String(node.removeType)))
      blocked(`DROP ${objectWords(node.removeType)} is not allowed`);
    for (const object of Array.isArray(node.objects) ? node.objects : []) {
      const parts = isObj(object) && isObj(object.List) ? names(object.List.items) : [];
      if (isSystemName(parts)) blocked(`dropping the system object ${parts.join(".")} is not allowed`);
    }
  }
  if (kind === "RenameStmt" && !renameKinds.has(String(node.renameType)))
    blocked(`renaming a ${objectWords(node.renameType).toLowerCase()} is not allowed`);
}

const transaction = "is not allowed: each attempt runs in its own transaction";
/** [what to tell the learner, the statement kinds (without "Stmt")] */
const refusalGroups: [string, string][] = [
  ["COPY is not allowed: read tables with SELECT and change them with INSERT/UPDATE", "Copy"],
  ["LOAD is not allowed", "Load"],
  ["DO blocks are not allowed: create a function and call it instead", "Do"],
  ["SHOW is not allowed: use SELECT current_setting('name') instead", "VariableShow"],
  ["DISCARD is not allowed", "Discard"],
  ["extensions (CREATE EXTENSION) are not allowed", "CreateExtension AlterExtension AlterExtensionContents"],
  ["creating languages (CREATE LANGUAGE) is not allowed", "CreatePLang"],
  ["CREATE CAST is not allowed", "CreateCast"],
  [
    "creating operators, aggregates and base types is not allowed",
    "Define CreateOpClass CreateOpFamily AlterOpFamily AlterOperator",
  ],
  ["changing base types (ALTER TYPE … SET) is not allowed", "AlterType"],
  ["CREATE CONVERSION is not allowed", "CreateConversion"],
  ["CREATE TRANSFORM is not allowed", "CreateTransform"],
  ["CREATE ACCESS METHOD is not allowed", "CreateAm"],
  ["event triggers are not allowed", "CreateEventTrig AlterEventTrig"],
  [
    "foreign data (servers, wrappers, foreign tables, user mappings) is not allowed",
    `CreateForeignServer AlterForeignServer CreateFdw AlterFdw CreateForeignTable CreateUserMapping
     AlterUserMapping DropUserMapping ImportForeignSchema`,
  ],
  [
    "creating or changing roles and users is not allowed",
    "CreateRole AlterRole AlterRoleSet DropRole GrantRole",
  ],
  ["GRANT and REVOKE are not allowed", "Grant"],
  ["ALTER DEFAULT PRIVILEGES is not allowed", "AlterDefaultPrivileges"],
  ["REASSIGN OWNED is not allowed", "ReassignOwned"],
  ["DROP OWNED is not allowed", "DropOwned"],
  ["SECURITY LABEL is not allowed", "SecLabel"],
  ["tablespaces are not allowed", "CreateTableSpace DropTableSpace AlterTableSpaceOptions AlterTableMoveAll"],
  [
    "creating or changing databases is not allowed",
    "Createdb Dropdb AlterDatabase AlterDatabaseSet AlterDatabaseRefreshColl",
  ],
  ["CHECKPOINT is not allowed", "CheckPoint"],
  ["CLUSTER is not allowed", "Cluster"],
  ["REINDEX is not allowed", "Reindex"],
  ["LISTEN, UNLISTEN and NOTIFY are not allowed", "Listen Unlisten Notify"],
  [
    "publications and subscriptions are not allowed",
    "CreatePublication AlterPublication CreateSubscription AlterSubscription DropSubscription",
  ],
  ["ALTER SYSTEM is not allowed", "AlterSystem"],
  ["CREATE SCHEMA is not allowed: create your objects in the current schema", "CreateSchema"],
  ["rules (CREATE RULE) are not allowed: use a trigger instead", "Rule"],
  ["ALTER FUNCTION is not allowed: use CREATE OR REPLACE FUNCTION", "AlterFunction"],
  ["moving objects to another schema (SET SCHEMA) is not allowed", "AlterObjectSchema"],
  ["changing owners (OWNER TO) is not allowed", "AlterOwner"],
];
const refusals = new Map(
  refusalGroups.flatMap(([message, names]) => [...kinds(names)].map((kind) => [kind, message] as const)),
);

const transactionWords: Record<string, string> = {
  TRANS_STMT_BEGIN: "BEGIN",
  TRANS_STMT_START: "START TRANSACTION",
  TRANS_STMT_COMMIT: "COMMIT",
  TRANS_STMT_ROLLBACK: "ROLLBACK",
  TRANS_STMT_SAVEPOINT: "SAVEPOINT",
  TRANS_STMT_RELEASE: "RELEASE SAVEPOINT",
  TRANS_STMT_ROLLBACK_TO: "ROLLBACK TO SAVEPOINT",
  TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
  TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
  TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
};

/** The one-line refusal for a statement kind that never runs, or undefined when it is not one of those. */
export function kindRefusal(kind: string, node: Obj): string | undefined {
  if (kind === "TransactionStmt")
    return `transaction control (${transactionWords[String(node.kind)] ?? "COMMIT"}) ${transaction}`;
  if (kind === "VacuumStmt") return `${node.is_vacuumcmd === true ? "VACUUM" : "ANALYZE"} is not allowed`;
  return refusals.get(kind);
}

/** The refusal for a SET/RESET statement, or null for `SET TRANSACTION` that keeps the attempt read-only when it was. */
export function settingRefusal(node: Obj, inBody: boolean): string | null {
  const name = typeof node.name === "string" ? node.name : "";
  const kind = String(node.kind);
  if (name === "role") return "switching roles (SET ROLE) is not allowed";
  if (name === "session_authorization") return "switching users (SET SESSION AUTHORIZATION) is not allowed";
  const words = kind.startsWith("VAR_RESET") ? "RESET" : name === "TRANSACTION" ? "SET TRANSACTION" : "SET";
  if (inBody) return `changing settings (${words}) is not allowed inside a function body`;
  if (kind !== "VAR_SET_MULTI" || name !== "TRANSACTION")
    return `changing settings (${words}) is not allowed`;
  for (const arg of Array.isArray(node.args) ? node.args : []) {
    const def = isObj(arg) && isObj(arg.DefElem) ? arg.DefElem : {};
    const value = isObj(def.arg) && isObj(def.arg.A_Const) ? def.arg.A_Const : {};
    const ival = isObj(value.ival) && typeof value.ival.ival === "number" ? value.ival.ival : 0;
    if (def.defname === "transaction_read_only" && ival !== 1)
      return "SET TRANSACTION READ WRITE is not allowed: the challenge decides whether writes are allowed";
    if (
      !["transaction_isolation", "transaction_deferrable", "transaction_read_only"].includes(
        String(def.defname),
      )
    )
      return "changing settings (SET TRANSACTION) is not allowed";
  }
  return null;
}

/** SQL words for a statement kind the read-only rule names (INSERT, CREATE TABLE, …). */
export function kindWords(kind: string): string {
  const special: Record<string, string> = {
    CreateStmt: "CREATE TABLE",
    CreateTableAsStmt: "CREATE TABLE AS",
    ViewStmt: "CREATE VIEW",
    IndexStmt: "CREATE INDEX",
    CreateSeqStmt: "CREATE SEQUENCE",
    AlterSeqStmt: "ALTER SEQUENCE",
    CreateTrigStmt: "CREATE TRIGGER",
    CompositeTypeStmt: "CREATE TYPE",
    CreateEnumStmt: "CREATE TYPE",
    CreateStatsStmt: "CREATE STATISTICS",
    CreateFunctionStmt: "CREATE FUNCTION",
    RenameStmt: "RENAME",
    DeclareCursorStmt: "DECLARE",
    ClosePortalStmt: "CLOSE",
    ConstraintsSetStmt: "SET CONSTRAINTS",
    VariableSetStmt: "SET TRANSACTION",
    SelectStmt: "SELECT … INTO",
  };
  return (
    special[kind] ??
    kind
      .replace(/Stmt$/, "")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toUpperCase()
  );
}
