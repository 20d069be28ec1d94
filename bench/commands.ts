import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handleText } from "../src/core/dispatch.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openDatabase } from "../src/db/client.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { fixedClock } from "../test/fixed-clock.js";
import { benchLearner, commandCore } from "./core.js";
import { type BenchOptions, measure, printTable, type Row } from "./measure.js";

/** Command handling and start-up: each figure as a ratio against a baseline of the same run. */
export async function benchCommands({ quick }: BenchOptions): Promise<void> {
  // Quick: fewer, smaller batches; the medians stay medians of several batches.
  const rounds = quick ? { batches: 5, perBatch: 50, warmup: 20 } : {};
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-"));
  try {
    const database = openDatabase(join(dir, "bench.db"));
    database.sqlite.exec("CREATE TABLE baseline (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const insert = database.sqlite.prepare("INSERT INTO baseline (v) VALUES (?)");

    const loaded = loadCurriculum(defaultCurriculumDir);
    if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
    const core = commandCore(database, loaded.curriculum, fixedClock("2026-04-15T10:00:00Z"));
    const person = benchLearner;
    await handleText(core, person(0), "/cohort create bench 2026-03-02 Europe/Berlin");
    for (let n = 1; n <= 1000; n++) await handleText(core, person(n), "/cohort join bench");

    const baseline = await measure(() => insert.run("x"), { perBatch: 2000 });
    let i = 0;
    const tracks = ["dba", "sql-developer", "data-architect"];
    const cases: [string, () => unknown][] = [
      [
        "/track join (write: member + track history)",
        () => handleText(core, person((i++ % 1000) + 1), `/track join ${tracks[i % 3]}`),
      ],
      ["/roadmap (read: member, cohort, week)", () => handleText(core, person((i++ % 1000) + 1), "/roadmap")],
      ["/week 7 (read + module of two lanes)", () => handleText(core, person((i++ % 1000) + 1), "/week 7")],
      ["/cohort info (1,000 members by track)", () => handleText(core, person(1), "/cohort info")],
      ["unknown command (parse + suggestion)", () => handleText(core, person(1), "/weeek 3")],
    ];
    const rows: Row[] = [{ name: "baseline: one-row SQLite insert", perOpMs: baseline.perOpMs, ratio: 1 }];
    for (const [name, fn] of cases) {
      const result = await measure(fn, rounds);
      rows.push({ name, perOpMs: result.perOpMs, ratio: result.perOpMs / baseline.perOpMs });
    }
    printTable("Command handling, core + SQLite file (WAL)", "baseline: one-row SQLite insert", rows);

    const parseJson = JSON.stringify(loaded.curriculum);
    const jsonBaseline = await measure(() => JSON.parse(parseJson), { batches: 5, perBatch: 20, warmup: 5 });
    // A load takes about 0.2 s: quick runs time three single loads.
    const load = await measure(
      () => loadCurriculum(defaultCurriculumDir),
      quick ? { batches: 3, perBatch: 1, warmup: 1 } : { batches: 5, perBatch: 5, warmup: 2 },
    );
    printTable("Start-up: curriculum", "JSON.parse of the same data", [
      { name: "JSON.parse of the same data", perOpMs: jsonBaseline.perOpMs, ratio: 1 },
      {
        name: "loadCurriculum (read, YAML, zod, cross-check)",
        perOpMs: load.perOpMs,
        ratio: load.perOpMs / jsonBaseline.perOpMs,
      },
    ]);
    database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
