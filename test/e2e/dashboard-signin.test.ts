/**
 * Signing in to the dashboard from the terminal chat, in a real Chromium, against the real bot on
 * SQLite and on PostgreSQL: the link, the cookie, and every way a link or a session is refused or ends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBrowser } from "../browser/use-browser.js";
import {
  type DashboardBot,
  dashboardLink,
  startDashboardBot,
  stores,
  TEST_TIMEOUT_MS,
} from "./dashboard/bot.js";
import { readPage, SESSION_COOKIE, sessionCookie, signIn } from "./dashboard/browser.js";
import { expireLink } from "./dashboard/database.js";
import { statusFrom } from "./dashboard/from-address.js";
import { COHORT, seedCohort } from "./dashboard/seed.js";

const files = useBrowser();
const HOUR_S = 3_600;

describe.each(stores)(
  "signing in to the dashboard on %s",
  (kind) => {
    let started: DashboardBot | undefined;
    const bot = () => {
      if (!started) throw new Error("The bot did not start");
      return started;
    };

    beforeAll(async () => {
      started = await startDashboardBot(kind);
      await seedCohort(started);
    }, 90_000);

    afterAll(async () => {
      await started?.stop();
    }, 30_000);

    it("given the moderator's /dashboard link, the browser lands on /cohorts with no token in the address and a 12-hour HttpOnly, SameSite=Lax cookie", async () => {
      const link = await dashboardLink(bot());
      const token = link.slice(link.lastIndexOf("/") + 1);
      const { context, blockedRequests } = await files.newContext();
      const page = await context.newPage();
      const clockReading = Date.now() / 1000;

      const landed = await page.goto(link);

      expect(landed?.status()).toBe(200);
      expect(page.url()).toBe(`${bot().origin}/cohorts`);
      expect(page.url()).not.toContain(token);
      const cookie = await sessionCookie(context, bot().origin);
      expect(cookie).toMatchObject({
        domain: "127.0.0.1",
        path: "/",
        httpOnly: true,
        secure: false,
        sameSite: "Lax",
      });
      expect(cookie?.value).not.toBe(token);
      expect(cookie?.expires).toBeGreaterThan(clockReading + 11 * HOUR_S);
      expect(cookie?.expires).toBeLessThan(clockReading + 13 * HOUR_S);
      expect(blockedRequests).toEqual([]);
    });

    it("given a learner's /dashboard link, the browser lands on their own progress at /me", async () => {
      const { page, landed } = await signIn(files, bot(), "ana");

      expect(landed?.status()).toBe(200);
      expect(page.url()).toBe(`${bot().origin}/me`);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("My progress");
      expect(await page.locator("main").textContent()).toContain(COHORT);
    });

    it("given a link opened once, opening it again in another browser is refused with 410 and sets no cookie", async () => {
      const link = await dashboardLink(bot(), "ana");
      const first = await files.newContext();
      expect((await (await first.context.newPage()).goto(link))?.status()).toBe(200);

      const second = await files.newContext();
      const page = await second.context.newPage();
      const html = await readPage(page, "", link, 410);

      expect(html).toContain("This link was already used");
      expect(await second.context.cookies()).toEqual([]);
    });

    it("given a link whose 15 minutes are over, opening it is refused with 410 and sets no cookie", async () => {
      const link = await dashboardLink(bot(), "ana");
      await expireLink(bot(), link);
      const { context } = await files.newContext();
      const page = await context.newPage();

      const html = await readPage(page, "", link, 410);

      expect(html).toContain("This link has expired");
      expect(await context.cookies()).toEqual([]);
    });

    it("given 11 bad sign-in links from one address within a minute, the 11th is refused with 429 and other addresses are not", async () => {
      const badLink = `${bot().origin}/signin/${"x".repeat(43)}`;
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt++) statuses.push(await statusFrom("127.0.0.2", badLink));

      expect(statuses).toEqual([...Array<number>(10).fill(404), 429]);
      expect(await statusFrom("127.0.0.3", badLink)).toBe(404);
    });

    it("given /dashboard signout in chat, the browser's next page load says to sign in from chat", async () => {
      const { context, page } = await signIn(files, bot(), "bo");
      expect(page.url()).toBe(`${bot().origin}/me`);

      const reply = await bot().chat.say("@bo /dashboard signout");
      const html = await readPage(page, bot().origin, "/me", 401);

      expect(reply).toContain("Signed out of the dashboard in 1 browser");
      expect(html).toContain("Sign in from chat");
      expect(await sessionCookie(context, bot().origin)).toBeUndefined();
    });

    it("given the Sign out button, the session ends: the page says so, and even a copy of the old cookie is refused", async () => {
      const { context, page } = await signIn(files, bot(), "ana");
      const before = await sessionCookie(context, bot().origin);
      expect(before).toBeDefined();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${bot().origin}/signed-out`);

      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Signed out");
      expect(await sessionCookie(context, bot().origin)).toBeUndefined();
      const replayed = await files.newContext();
      if (before) await replayed.context.addCookies([{ ...before, name: SESSION_COOKIE }]);
      const html = await readPage(await replayed.context.newPage(), bot().origin, "/me", 401);
      expect(html).toContain("Sign in from chat");
    });
  },
  TEST_TIMEOUT_MS,
);
