/**
 * Every page of the dashboard read in a real Chromium, as the moderator and as learners, against the
 * real bot on SQLite and on PostgreSQL: what each shows, axe on each, the headers, the CSV, and what a
 * learner is refused. Also the README's screenshots (written only with QUORUM_SCREENSHOTS=1).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Cookie } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOnLoopback } from "../browser/loopback-server.js";
import { useBrowser } from "../browser/use-browser.js";
import { type DashboardBot, startDashboardBot, stores, TEST_TIMEOUT_MS } from "./dashboard/bot.js";
import {
  expectSecurityHeaders,
  inlineScripts,
  readPage,
  sessionCookies,
  signedInContext,
} from "./dashboard/browser.js";
import { cohortIdOf, storedSchedules } from "./dashboard/database.js";
import { DESKTOP, MAX_SCREENSHOT_BYTES, PHONE, pngSize, screenshotDir } from "./dashboard/screenshots.js";
import { BO_SECRET, CHALLENGE, COHORT, seed, solutionOf } from "./dashboard/seed.js";

const files = useBrowser();

/** The file a chat reply attached, as the terminal prints it: "📎 name — path". */
function attachmentIn(reply: string): { name: string; path: string } {
  const found = /📎 (\S+) — (\S+)/.exec(reply);
  if (!found?.[1] || !found[2]) throw new Error(`No attachment in the reply:\n${reply}`);
  return { name: found[1], path: found[2] };
}

/** The moderator's pages of a cohort, each with words it must show for the seeded cohort. */
function moderatorPages(cohortId: number): { path: string; shows: string[] }[] {
  return [
    { path: "/cohorts", shows: [COHORT, "Week 3"] },
    { path: `/cohorts/${cohortId}`, shows: [COHORT, "Week 3", "ana", "75 pts"] },
    { path: `/cohorts/${cohortId}/schedule`, shows: [COHORT, "Mondays at 09:00", "week 4"] },
    { path: `/cohorts/${cohortId}/members`, shows: ["ana", "bo", "75", "Database Administrator"] },
    { path: `/cohorts/${cohortId}/bank`, shows: ["Customers who never ordered"] },
  ];
}

const learnerPages = ["/me", "/me/challenges"];

describe.each(stores)(
  "the dashboard's pages on %s",
  (kind) => {
    let started: DashboardBot | undefined;
    let moderator: Cookie[] = [];
    let ana: Cookie[] = [];
    let bo: Cookie[] = [];
    let cohortId = 0;
    const bot = () => {
      if (!started) throw new Error("The bot did not start");
      return started;
    };
    const origin = () => bot().origin;

    beforeAll(async () => {
      started = await startDashboardBot(kind);
      await seed(started);
      cohortId = await cohortIdOf(started, COHORT);
      moderator = await sessionCookies(files, started);
      ana = await sessionCookies(files, started, "ana");
      bo = await sessionCookies(files, started, "bo");
    }, 90_000);

    afterAll(async () => {
      await started?.stop();
    }, 30_000);

    it("given the moderator, each cohort page passes axe and shows the cohort and the learners who answered", async () => {
      const { page, blockedRequests } = await signedInContext(files, moderator);

      for (const { path, shows } of moderatorPages(cohortId)) {
        await readPage(page, origin(), path);
        const main = (await page.locator("main").textContent()) ?? "";
        for (const text of shows) expect(main, `${path} shows ${text}`).toContain(text);
      }
      expect(blockedRequests).toEqual([]);
    });

    it("given a 375 px phone, every page passes axe: a table wider than the screen scrolls in a region the keyboard reaches", async () => {
      const asModerator = (await signedInContext(files, moderator, { viewport: PHONE })).page;
      const asLearner = (await signedInContext(files, ana, { viewport: PHONE })).page;

      for (const { path } of moderatorPages(cohortId)) await readPage(asModerator, origin(), path);
      for (const path of learnerPages) await readPage(asLearner, origin(), path);

      await readPage(asModerator, origin(), `/cohorts/${cohortId}/members`);
      const region = asModerator.getByRole("region", { name: "Members" });
      const overflows = (box: { scrollWidth: number; clientWidth: number }) =>
        box.scrollWidth > box.clientWidth;
      expect(await region.evaluate(overflows)).toBe(true);
      expect(await region.getAttribute("tabindex")).toBe("0");
    });

    it("given a learner, /me shows her cohort, points and rank, and /me/challenges her attempt with its query and verdict", async () => {
      const { page, blockedRequests } = await signedInContext(files, ana);

      await readPage(page, origin(), "/me");
      const progress = await page.locator("main").textContent();
      expect(progress).toContain(COHORT);
      expect(progress).toContain("Week 3 of 20");
      expect(progress).toMatch(/Points\s*75/);
      expect(progress).toMatch(/Rank \(all time\)\s*1 of 2/);

      await readPage(page, origin(), "/me/challenges");
      const attempt = page.locator("section", {
        has: page.locator("h2", { hasText: "Customers who never ordered" }),
      });
      expect(await attempt.locator("code").first().textContent()).toBe(CHALLENGE);
      expect(await attempt.locator("pre code").textContent()).toBe(solutionOf(CHALLENGE));
      expect(await attempt.locator(".badge").allTextContents()).toEqual(["solved", "right"]);
      expect(blockedRequests).toEqual([]);
    });

    it("given two learners, each one's /me/challenges shows their own query and never the other's", async () => {
      const asAna = (await signedInContext(files, ana)).page;
      const asBo = (await signedInContext(files, bo)).page;

      const anasPage = await readPage(asAna, origin(), "/me/challenges");
      const bosPage = await readPage(asBo, origin(), "/me/challenges");

      expect(bosPage).toContain(BO_SECRET);
      expect(anasPage).not.toContain(BO_SECRET);
      expect(bosPage).not.toContain(solutionOf(CHALLENGE));
    });

    it("given a learner on the moderator pages, the CSV and a schedule form, each is refused with 403 and nothing is written", async () => {
      const { page } = await signedInContext(files, ana);
      await readPage(page, origin(), "/me");
      const csrf = await page.locator("input[name=_csrf]").first().inputValue();
      const rows = await storedSchedules(bot());

      for (const path of ["/cohorts", `/cohorts/${cohortId}`, `/cohorts/${cohortId}/schedule`]) {
        const html = await readPage(page, origin(), path, 403);
        expect(html).toContain("For moderators");
      }
      const csv = await page.request.get(`${origin()}/cohorts/${cohortId}/members.csv`);
      expect(csv.status()).toBe(403);
      expect(csv.headers()["content-disposition"]).toBeUndefined();
      const posted = await page.request.post(`${origin()}/cohorts/${cohortId}/schedule/pause`, {
        form: { _csrf: csrf },
      });
      expect(posted.status()).toBe(403);
      expect(await storedSchedules(bot())).toEqual(rows);
    });

    it("given the members page's CSV link, the download is the very file /stats csv saves in chat", async () => {
      const { page } = await signedInContext(files, moderator);
      await readPage(page, origin(), `/cohorts/${cohortId}/members`);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download CSV" }).click(),
      ]);
      const inChat = attachmentIn(await bot().chat.say("/stats csv"));

      expect(download.suggestedFilename()).toBe(inChat.name);
      const downloaded = readFileSync(await download.path(), "utf8");
      expect(downloaded).toBe(readFileSync(inChat.path, "utf8"));
      expect(downloaded.split("\n")[0]).toMatch(/^rank,member,/);
      expect(downloaded).toMatch(/^1,ana,ana,dba,75,/m);
    });

    it("given any page, signed in or not, it carries the CSP, X-Frame-Options and Referrer-Policy, and no inline script", async () => {
      const { page } = await signedInContext(files, moderator);
      const paths = [
        "/me",
        "/me/challenges",
        "/cohorts",
        `/cohorts/${cohortId}`,
        `/cohorts/${cohortId}/schedule`,
        `/cohorts/${cohortId}/members`,
        `/cohorts/${cohortId}/bank`,
        "/signed-out",
        "/no-such-page",
      ];
      const anonymous = await (await files.newContext()).context.newPage();

      for (const path of paths) {
        const response = await page.request.get(`${origin()}${path}`);
        expectSecurityHeaders(response);
        expect(inlineScripts(await response.text()), path).toEqual([]);
      }
      const refused = await anonymous.goto(`${origin()}/me`);
      expect(refused?.status()).toBe(401);
      if (refused) expectSecurityHeaders(refused);
      expect(inlineScripts((await refused?.text()) ?? "")).toEqual([]);
      const policy = (await page.request.get(`${origin()}/me`)).headers()["content-security-policy"];
      expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(policy).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
    });

    it("given another origin's page that frames a dashboard page, the browser refuses to show it in the frame", async () => {
      const framed = `${origin()}/signed-out`;
      const framer = await serveOnLoopback(
        () =>
          new Response(
            `<!doctype html><html lang="en"><title>Framer</title><iframe src="${framed}"></iframe></html>`,
            {
              headers: { "content-type": "text/html; charset=utf-8" },
            },
          ),
      );
      try {
        const { context, blockedRequests } = await files.newContext();
        const page = await context.newPage();
        const refusals: string[] = [];
        page.on("console", (message) => {
          if (message.type() === "error") refusals.push(message.text());
        });

        await page.goto(framer.origin);
        await page.waitForLoadState("load");

        const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
        expect(frame).toBeDefined();
        expect(await frame?.content()).not.toContain("Signed out");
        expect(refusals.join("\n")).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
        expect(blockedRequests).toEqual([]);
      } finally {
        await framer.close();
      }
    });

    it("given the cohort, schedule and progress pages, it takes PNG screenshots at desktop width and at a 375 px phone's", async () => {
      const dir = screenshotDir();
      const shots: {
        file: string;
        cookies: Cookie[];
        path: string;
        viewport: typeof DESKTOP;
        fullPage?: boolean;
      }[] = [
        {
          file: "cohort.png",
          cookies: moderator,
          path: `/cohorts/${cohortId}`,
          viewport: DESKTOP,
          fullPage: true,
        },
        {
          file: "schedule.png",
          cookies: moderator,
          path: `/cohorts/${cohortId}/schedule`,
          viewport: DESKTOP,
        },
        { file: "my-progress.png", cookies: ana, path: "/me", viewport: DESKTOP },
        { file: "my-progress-phone.png", cookies: ana, path: "/me", viewport: PHONE },
      ];

      for (const shot of shots) {
        const { page } = await signedInContext(files, shot.cookies, { viewport: shot.viewport });
        await readPage(page, origin(), shot.path);
        const png = await page.screenshot({ type: "png", fullPage: shot.fullPage ?? false });
        writeFileSync(join(dir, shot.file), png);

        const size = pngSize(png);
        expect(size?.width, shot.file).toBe(shot.viewport.width);
        expect(size?.height, shot.file).toBeGreaterThanOrEqual(shot.viewport.height);
        expect(png.length, shot.file).toBeLessThan(MAX_SCREENSHOT_BYTES);
      }
    });
  },
  TEST_TIMEOUT_MS,
);
