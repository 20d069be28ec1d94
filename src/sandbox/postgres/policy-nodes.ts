/**
 * The check of every node inside a statement: functions no attempt may call, in every form they
 * can be named (calls, ObjectWithArgs, trigger functions, '…'::regproc), and relations no attempt
 * may write (the system catalogs).
 */
import { kindRefusal, kindWords, nestedKinds } from "./policy-kinds.js";
import { blocked, isObj, isSystemName, lowerAscii, names, type Obj } from "./policy-tree.js";

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
