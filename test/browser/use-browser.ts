/** One browser per test file, launched before its first test and closed after its last, failed or not. */
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type GuardedContext, launchBrowser, newGuardedContext } from "./launch.js";

export interface FileBrowser {
  /** The file's browser; only inside a test or a hook after beforeAll. */
  browser(): Browser;
  /** A context guarded to loopback (launch.ts), closed after the test that opened it. */
  newContext(options?: BrowserContextOptions): Promise<GuardedContext>;
}

/** The first launch on a machine unpacks ~200 MB of Chromium; give it room when two workers share 2 cores. */
const launchTimeoutMs = 120_000;

/**
 * Call at the top of a test file (it registers the file's hooks):
 *
 *     const files = useBrowser();
 *     it("given …, …", async () => {
 *       const { context, blockedRequests } = await files.newContext();
 *       const page = await context.newPage();
 *       await page.goto(`${server.origin}/`);
 *       await expectAccessible(page);
 *       expect(blockedRequests).toEqual([]);
 *     });
 */
export function useBrowser(): FileBrowser {
  let launched: Browser | undefined;
  const openContexts: BrowserContext[] = [];

  beforeAll(async () => {
    launched = await launchBrowser();
  }, launchTimeoutMs);

  afterEach(async () => {
    await Promise.all(openContexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    // Closing the browser ends all of its processes (harness.test.ts checks).
    await launched?.close();
  });

  const browser = (): Browser => {
    if (!launched) throw new Error("useBrowser: the browser is launched in beforeAll; use it inside a test");
    return launched;
  };

  return {
    browser,
    async newContext(options = {}) {
      const guarded = await newGuardedContext(browser(), options);
      openContexts.push(guarded.context);
      return guarded;
    },
  };
}
