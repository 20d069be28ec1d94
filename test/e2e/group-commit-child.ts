/**
 * A child process for the crash suite's group-commit round: the real core and store on a real file,
 * every learner answering at once (so answers share transactions), and SIGKILL from inside the
 * transaction that writes the KILL_AT-th ledger row. A temporary trigger calls back into this
 * process for each ledger row, so the kill lands inside a group commit, not near one.
 *
 * Prints `row <learner> <question>` for each ledger row written (committed or not) and
 * `ack <right|wrong|other> <line>` once an answer's reply came back.
 */
import { readFileSync, writeSync } from "node:fs";
import { commandCore } from "../../bench/core.js";
import { replyTo } from "../../src/adapters/terminal/chat.js";
import { systemClock } from "../../src/core/ports/clock.js";
import { loadCurriculum } from "../../src/curriculum/load.js";
import { openDatabase } from "../../src/db/client.js";
import { defaultCurriculumDir } from "../../src/paths.js";

/** Given on standard input: the lines that set the cohort up, then each learner's answer lines. */
interface Script {
  setup: string[];
  streams: string[][];
}

const databasePath = process.env.DATABASE_PATH ?? "";
const killAt = Number(process.env.KILL_AT);
const script = JSON.parse(readFileSync(0, "utf8")) as Script;
const loaded = loadCurriculum(defaultCurriculumDir);
if (!loaded.ok) throw new Error("the curriculum does not load");

const say = (line: string) => writeSync(1, `${line}\n`);

const database = openDatabase(databasePath);
const core = commandCore(database, loaded.curriculum, systemClock);
for (const line of script.setup) await replyTo(core, line);

// Read before the answers: a function called from a statement may not run statements itself.
const learnerOf = new Map(
  database.sqlite.prepare("SELECT id, external_id FROM members").raw().all() as [number, string][],
);
let rows = 0;
database.sqlite.function("crash_probe", (memberId, questionId) => {
  rows += 1;
  say(`row ${learnerOf.get(Number(memberId))} ${String(questionId)}`);
  if (rows === killAt) {
    process.kill(process.pid, "SIGKILL");
    // Nothing more runs while the signal lands.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  }
  return 0;
});
database.sqlite.exec(
  `CREATE TEMP TRIGGER crash_probe AFTER INSERT ON main.points_ledger
   BEGIN SELECT crash_probe(NEW.member_id, NEW.question_id); END`,
);

// Every learner at once, each waiting for its reply before its next line.
await Promise.all(
  script.streams.map(async (lines) => {
    for (const line of lines) {
      const text = (await replyTo(core, line))?.text ?? "";
      const kind = text.startsWith("Right!") ? "right" : text.startsWith("Not quite") ? "wrong" : "other";
      say(`ack ${kind} ${line}`);
    }
  }),
);
say("done");
database.close();
