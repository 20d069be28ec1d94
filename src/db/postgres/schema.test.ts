import { getTableName, is, type SQL, type Table } from "drizzle-orm";
import { PgDialect, PgTable, getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { SQLiteSyncDialect, SQLiteTable, getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { expectNothingLeftToGenerate } from "../../../test/drizzle-kit.js";
import { postgresMigrationsDir } from "../../paths.js";
import * as sqliteSchema from "../schema.js";
import * as postgresSchema from "./schema.js";

/** What both dialects' table configs share, read without regard to dialect. */
interface TableShape {
  columns: readonly {
    name: string;
    dataType: string;
    notNull: boolean;
    primary: boolean;
    default: unknown;
    enumValues?: readonly string[] | undefined;
  }[];
  indexes: readonly {
    config: { name?: string; unique: boolean; columns: readonly unknown[]; where?: SQL };
  }[];
  primaryKeys: readonly { getName(): string; columns: readonly { name: string }[] }[];
  foreignKeys: readonly {
    getName(): string;
    onDelete?: string | undefined;
    reference(): {
      columns: readonly { name: string }[];
      foreignTable: Table;
      foreignColumns: readonly { name: string }[];
    };
  }[];
  checks: readonly { name: string }[];
}

// SQLite's indexes end with the rowid unnamed; where a reader relies on that order, PostgreSQL's name it.
const rowidNamed: Record<string, string[]> = {};

/** A table's meaning: column names and JavaScript types, keys, indexes, foreign keys and checks. */
function describeTable(config: TableShape, render: (expression: SQL) => string, dialect: "sqlite" | "pg") {
  const names = (columns: readonly { name: string }[]) => columns.map((column) => column.name);
  return {
    columns: config.columns
      .map(({ name, dataType, notNull, primary, default: value, enumValues }) => ({
        name,
        dataType,
        notNull,
        primary,
        default: value,
        enumValues,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((key) => ({ name: key.getName(), columns: names(key.columns) })),
    indexes: config.indexes
      .map(({ config: index }) => {
        const name = index.name ?? "";
        const columns = index.columns.map((column) =>
          typeof column === "object" && column !== null && "name" in column
            ? String(column.name)
            : render(column as SQL),
        );
        const implicit = dialect === "sqlite" ? (rowidNamed[name] ?? []) : [];
        return {
          name,
          unique: index.unique,
          partial: index.where !== undefined,
          columns: [...columns, ...implicit],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference();
        return {
          name: key.getName(),
          columns: names(reference.columns),
          references: `${getTableName(reference.foreignTable)}(${names(reference.foreignColumns).join(",")})`,
          onDelete: key.onDelete,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: config.checks.map((check) => check.name).sort(),
  };
}

function sqliteTables() {
  const dialect = new SQLiteSyncDialect();
  const tables = Object.values(sqliteSchema).filter((value) => is(value, SQLiteTable));
  return Object.fromEntries(
    tables.map((table) => [
      getTableName(table),
      describeTable(sqliteTableConfig(table) as TableShape, (e) => dialect.sqlToQuery(e).sql, "sqlite"),
    ]),
  );
}

function postgresTables() {
  const dialect = new PgDialect();
  const tables = Object.values(postgresSchema).filter((value) => is(value, PgTable));
  return Object.fromEntries(
    tables.map((table) => [
      getTableName(table),
      describeTable(pgTableConfig(table) as TableShape, (e) => dialect.sqlToQuery(e).sql, "pg"),
    ]),
  );
}

describe("the PostgreSQL schema", () => {
  const sqlite = sqliteTables();
  const postgres = postgresTables();

  it("given the SQLite schema, it has the same tables", () => {
    expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
  });

  it.each(Object.keys(sqlite))(
    "given SQLite's %s, the PostgreSQL table has the same columns, JavaScript types, keys, indexes and checks",
    (table) => {
      expect(postgres[table]).toEqual(sqlite[table]);
    },
  );

  it("given the committed migrations, drizzle-kit finds nothing left to generate from the schema", () => {
    expectNothingLeftToGenerate("postgresql", "src/db/postgres/schema.ts", postgresMigrationsDir);
  });
});
