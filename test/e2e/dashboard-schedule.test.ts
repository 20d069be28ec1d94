/**
 * A moderator runs the cohort's schedule from the dashboard in a real Chromium, and the terminal chat
 * of the same bot agrees: on SQLite and on PostgreSQL. Refused forms write nothing.
 */
import type { Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "../browser/axe.js";
import { useBrowser } from "../browser/use-browser.js";
import { type DashboardBot, startDashboardBot, stores, TEST_TIMEOUT_MS } from "./dashboard/bot.js";
import { readPage, sessionCookies, signedInContext } from "./dashboard/browser.js";
import { addCohortOfAnotherSpace, cohortIdOf, storedSchedules } from "./dashboard/database.js";
import { COHORT, seed } from "./dashboard/seed.js";

const files = useBrowser();

/** The numbered lines of chat's /schedule show: "1. Tue 2026-03-24 10:00 CET · Tue … UTC — week 4". */
function firesIn(reply: string): string[] {
  return reply.match(/^\d\. .*$/gm) ?? [];
}

/** The first row of a schedule's "next five" table on the page, as chat writes the same fire. */
async function firstFireOnPage(page: Page, caption: string): Promise<string> {
  const table = page.locator("table", { has: page.locator("caption", { hasText: caption }) });
  const cells = await table.locator("tbody tr").first().locator("td").allTextContents();
  const [number, zoned, utc, what] = cells;
  return `${number}. ${zoned} · ${utc}${what ? ` — ${what}` : ""}`;
}

describe.each(stores)(
  "the schedule page on %s",
  (kind) => {
    let started: DashboardBot | undefined;
    let moderator: Cookie[] = [];
    let cohortId = 0;
    const bot = () => {
      if (!started) throw new Error("The bot did not start");
      return started;
    };
    const schedulePath = () => `/cohorts/${cohortId}/schedule`;
    const moderatorPage = async () => (await signedInContext(files, moderator)).page;

    beforeAll(async () => {
      started = await startDashboardBot(kind);
      await seed(started);
      cohortId = await cohortIdOf(started, COHORT);
      moderator = await sessionCookies(files, started);
    }, 90_000);

    afterAll(async () => {
      await started?.stop();
    }, 30_000);

    it("given tue 10:00 Europe/Berlin in the module form, the page says it was saved and chat's /schedule show lists the same next post", async () => {
      const page = await moderatorPage();
      await readPage(page, bot().origin, schedulePath());

      await page.locator("#module-when").fill("tue 10:00");
      await page.locator("#module-tz").fill("Europe/Berlin");
      await page.getByRole("button", { name: "Save weekly module" }).click();
      await page.waitForURL(`${bot().origin}${schedulePath()}`);

      expect(await page.getByRole("status").textContent()).toContain("Tuesdays at 10:00 (Europe/Berlin)");
      const onPage = await firstFireOnPage(page, "Weekly module");
      expect(onPage).toMatch(/^1\. Tue 2026-03-24 10:00 CET · Tue 2026-03-24 09:00 UTC/);
      const shown = await bot().chat.say("/schedule show");
      expect(firesIn(shown)[0]).toBe(onPage);
    });

    it("given a time zone that does not exist, its message is beside the field with aria-invalid, and nothing is written", async () => {
      const before = await bot().chat.say("/schedule show");
      const rows = await storedSchedules(bot());
      const page = await moderatorPage();
      await readPage(page, bot().origin, schedulePath());

      await page.locator("#module-when").fill("wed 11:00");
      await page.locator("#module-tz").fill("Mars/Olympus_Mons");
      const [posted] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === "POST"),
        page.getByRole("button", { name: "Save weekly module" }).click(),
      ]);
      await page.waitForLoadState();

      expect(posted.status()).toBe(400);
      const field = page.locator("#module-tz");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await field.getAttribute("aria-describedby")).toContain("module-tz-error");
      expect(await field.inputValue()).toBe("Mars/Olympus_Mons");
      expect(await page.locator("#module-tz-error").textContent()).toMatch(/Mars\/Olympus_Mons/);
      expect(await page.locator("#module-when").getAttribute("aria-invalid")).toBeNull();
      await expectAccessible(page);
      expect(await bot().chat.say("/schedule show")).toBe(before);
      expect(await storedSchedules(bot())).toEqual(rows);
    });

    it("given Pause on the page, chat says the cohort is paused; given Resume, chat lists the posts again", async () => {
      const page = await moderatorPage();
      await readPage(page, bot().origin, schedulePath());

      await page.getByRole("button", { name: "Pause" }).click();
      await page.waitForURL(`${bot().origin}${schedulePath()}`);
      expect(await page.getByRole("status").textContent()).toMatch(/^Paused spring at week 3/);
      const paused = await bot().chat.say("/schedule show");
      expect(paused).toContain("(paused)");
      expect(firesIn(paused)).toEqual([]);

      await page.getByRole("button", { name: "Resume" }).click();
      await page.waitForURL(`${bot().origin}${schedulePath()}`);
      expect(await page.getByRole("status").textContent()).toMatch(/^Resumed spring in week 3/);
      const resumed = await bot().chat.say("/schedule show");
      expect(resumed).not.toContain("(paused)");
      expect(firesIn(resumed)[0]).toBe(await firstFireOnPage(page, "Weekly module"));
    });

    it("given /schedule pause in chat, the page offers Resume and no Pause; given /schedule resume, the other way round", async () => {
      const page = await moderatorPage();

      expect(await bot().chat.say("/schedule pause")).toContain("Paused spring");
      await readPage(page, bot().origin, schedulePath());
      expect(await page.getByRole("button", { name: "Resume" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Pause" }).count()).toBe(0);

      expect(await bot().chat.say("/schedule resume")).toContain("Resumed spring");
      await page.reload();
      expect(await page.getByRole("button", { name: "Pause" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Resume" }).count()).toBe(0);
    });

    it("given a form whose _csrf field was removed, the post is refused with 403 and nothing changes", async () => {
      const before = await bot().chat.say("/schedule show");
      const rows = await storedSchedules(bot());
      const page = await moderatorPage();
      await readPage(page, bot().origin, schedulePath());

      await page.evaluate(
        `document.querySelector("form[action$='/schedule/module'] input[name=_csrf]").remove()`,
      );
      await page.locator("#module-when").fill("wed 11:00");
      const [posted] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === "POST"),
        page.getByRole("button", { name: "Save weekly module" }).click(),
      ]);
      await page.waitForLoadState();

      expect(posted.status()).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("That form had expired");
      const direct = await page.request.post(`${bot().origin}${schedulePath()}/pause`, { form: {} });
      expect(direct.status()).toBe(403);
      expect(await bot().chat.say("/schedule show")).toBe(before);
      expect(await storedSchedules(bot())).toEqual(rows);
    });

    it("given another space's cohort, its pages and CSV are not found and a post to its schedule is refused, writing nothing", async () => {
      const otherId = await addCohortOfAnotherSpace(bot(), "autumn");
      const rows = await storedSchedules(bot());
      const page = await moderatorPage();
      await readPage(page, bot().origin, schedulePath());
      const csrf = await page.locator("input[name=_csrf]").first().inputValue();

      for (const path of [
        `/cohorts/${otherId}`,
        `/cohorts/${otherId}/schedule`,
        `/cohorts/${otherId}/members`,
      ]) {
        const html = await readPage(page, bot().origin, path, 404);
        expect(html).toContain("No such cohort here");
      }
      const csv = await page.request.get(`${bot().origin}/cohorts/${otherId}/members.csv`);
      expect(csv.status()).toBe(404);
      for (const form of ["module", "pause"]) {
        const posted = await page.request.post(`${bot().origin}/cohorts/${otherId}/schedule/${form}`, {
          form: { _csrf: csrf, when: "fri 08:00", tz: "UTC" },
        });
        expect(posted.status()).toBe(404);
      }
      expect(await storedSchedules(bot())).toEqual(rows);
    });
  },
  TEST_TIMEOUT_MS,
);
