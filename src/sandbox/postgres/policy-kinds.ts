/**
 * Statement kinds: which a task may run, which only read, which may nest, and what to tell a
 * learner about each kind (and each setting change) that never runs.
 */
import { blocked, isObj, isSystemName, names, type Obj } from "./policy-tree.js";

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
