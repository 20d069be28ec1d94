import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { copySqliteToPostgres } from "./copy.js";
import { describePostgresUrl } from "./postgres/client.js";

// `npm run db:copy -- --from <sqlite file> --to <postgres url>`: moves a stopped SQLite deployment
// into an empty PostgreSQL database. Exit 0 copied, 1 refused or failed (nothing kept), 2 wrong usage.

const USAGE =
  "Usage: npm run db:copy -- --from <SQLite file> --to <postgres://user:password@host:5432/database>\n" +
  "Stop the bot first; the target database must be empty (Quorum creates its tables there).";

async function main(args: string[]): Promise<number> {
  let options: { from?: string | undefined; to?: string | undefined };
  try {
    ({ values: options } = parseArgs({
      args,
      options: { from: { type: "string" }, to: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { from, to } = options;
  if (!from || !to) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(from)) {
    console.error(`No database at ${from}: nothing to copy.`);
    return 2;
  }
  let where: string;
  try {
    if (!/^postgres(ql)?:$/.test(new URL(to).protocol)) throw new Error("not postgres");
    where = describePostgresUrl(to);
  } catch {
    console.error(
      `--to must be a PostgreSQL URL, e.g. postgres://quorum:secret@db.internal:5432/quorum.\n${USAGE}`,
    );
    return 2;
  }
  console.log(`Copying ${from} into ${where}`);
  const result = await copySqliteToPostgres(from, to, ({ table, rows }) => {
    console.log(`${table}: ${rows.toLocaleString("en-US")} rows`);
  });
  if (!result.ok) {
    console.error(`Not copied: ${result.reason}.`);
    return 1;
  }
  const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
  console.log(
    `Copied ${total.toLocaleString("en-US")} rows in ${Object.keys(result.rows).length} tables; ` +
      "counts and totals match the source. Set DATABASE_URL to it and start the bot.",
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // The driver's message may quote the URL; only the message's first line, without it, is printed.
    console.error(`db:copy failed: ${String((error as Error).message ?? error).split("\n")[0]}`);
    process.exitCode = 1;
  },
);
