import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dashboardListener } from "../src/adapters/web/listener.js";
import { handleText } from "../src/core/dispatch.js";
import { issueSignInLink, redeemSignIn } from "../src/core/services/web-access.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openDatabase } from "../src/db/client.js";
import { defaultCurriculumDir } from "../src/paths.js";
import { fixedClock } from "../test/fixed-clock.js";
import { benchLearner, commandCore } from "./core.js";
import { type BenchOptions, percentiles } from "./measure.js";

const MEMBERS = 1_000;
/** Quiz items each learner answers, some wrong: enough for the boards, tallies and weakest topics to have rows. */
const ANSWERS_EACH = 6;
/** Quick runs keep the 1,000 members with fewer answers each. */
const QUICK_ANSWERS_EACH = 1;

/**
 * The dashboard's cohort page at 1,000 members over real loopback HTTP, beside /cohort info through
 * the core in the same run (issue 21): p50 and p99 of each, and their ratios.
 */
export async function benchDashboard({ quick }: BenchOptions): Promise<void> {
  const rounds = quick ? 30 : 300;
  const answersEach = quick ? QUICK_ANSWERS_EACH : ANSWERS_EACH;
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-web-"));
  const server = createServer();
  try {
    const database = openDatabase(join(dir, "bench.db"));
    const loaded = loadCurriculum(defaultCurriculumDir);
    if (!loaded.ok) throw new Error("curriculum does not load: run npm run curriculum:check");
    const core = commandCore(database, loaded.curriculum, fixedClock("2026-04-15T10:00:00Z"));
    const person = benchLearner;
    await handleText(core, person(0), "/cohort create bench 2026-03-02 Europe/Berlin");
    const items = loaded.curriculum.bank.items.filter((i) => i.kind === "single" && i.week <= 6);
    for (let n = 1; n <= MEMBERS; n++) {
      await handleText(core, person(n), "/cohort join bench");
      for (let k = 0; k < answersEach; k++) {
        const item = items[(n * 7 + k * 13) % items.length];
        if (item?.kind !== "single") continue;
        const wrong = item.choices.find((c) => c.id !== item.answer)?.id ?? item.answer;
        const choice = (n + k) % 3 === 0 ? wrong : item.answer;
        await handleText(core, person(n), `/answer ${item.id} key:${choice}`);
      }
    }
    const identity = await core.store.identities.ensure(person(0), core.clock.now());
    const cohort = (await core.store.cohorts.list(identity.space.id))[0];
    if (!cohort) throw new Error("the bench cohort was not created");

    const url = "http://127.0.0.1";
    const link = await issueSignInLink(core, identity, true, url);
    const opened = await redeemSignIn(core, link.url.slice(`${url}/signin/`.length));
    if (!opened.ok) throw new Error(`the bench session did not open: ${opened.error}`);
    const cookie = `quorum_session=${opened.value.token}`;
    const listener = dashboardListener(core, { publicUrl: url });
    server.on("request", (req, res) => void listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (path: string) => async () => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200)
        throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    };

    const info = await percentiles(rounds, () => handleText(core, person(0), "/cohort info"));
    const pages: [string, string][] = [
      ["cohort page (/cohorts/:id)", `/cohorts/${cohort.id}`],
      ["members page", `/cohorts/${cohort.id}/members`],
      ["schedule page", `/cohorts/${cohort.id}/schedule`],
      ["question bank page", `/cohorts/${cohort.id}/bank`],
    ];
    console.log(
      `\nDashboard pages at ${MEMBERS.toLocaleString("en")} members over loopback HTTP  (ratio = ÷ /cohort info through the core, same run)`,
    );
    const line = (name: string, t: { p50: number; p99: number }) =>
      console.log(
        `  ${name.padEnd(34)} p50 ${t.p50.toFixed(2).padStart(7)} ms ${(t.p50 / info.p50).toFixed(1).padStart(6)}×   p99 ${t.p99.toFixed(2).padStart(7)} ms ${(t.p99 / info.p99).toFixed(1).padStart(6)}×`,
      );
    line("/cohort info (core, baseline)", info);
    for (const [name, path] of pages) {
      // A few loads first: the first request compiles the page's code and fills the statement cache.
      for (let i = 0; i < 5; i++) await get(path)();
      line(name, await percentiles(rounds, get(path)));
    }
    database.close();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
