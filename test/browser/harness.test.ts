import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible } from "./axe.js";
import { afterTheyEnd, browserChildren, processesOf } from "./browser-processes.js";
import { contentSecurityPolicy, elsewhere, harnessApp, sessionCookie, standingsCsv } from "./harness-app.js";
import { launchBrowser } from "./launch.js";
import { type LoopbackServer, serveOnLoopback } from "./loopback-server.js";
import { unpackChromium } from "./unpack.js";
import { useBrowser } from "./use-browser.js";

const files = useBrowser();
let server: LoopbackServer;

beforeAll(async () => {
  server = await serveOnLoopback(harnessApp().fetch);
});

afterAll(async () => {
  await server?.close();
});

describe("pages without JavaScript", () => {
  it("given JavaScript off, submitting the join form follows the 303 to a page that reads the cookie", async () => {
    const { context, blockedRequests } = await files.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);

    await page.getByLabel("Your name").fill("Ada <b>Lovelace</b>");
    const [posted] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST"),
      page.getByRole("button", { name: "Join" }).click(),
    ]);
    await page.waitForURL(`${server.origin}/welcome`);

    expect(posted.status()).toBe(303);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Welcome");
    // Escaped by the page, so the learner's markup shows as text.
    expect(await page.locator("main p").textContent()).toBe("Signed in as Ada <b>Lovelace</b>.");
    expect(blockedRequests).toEqual([]);
  });

  it("given a join, the session cookie is HttpOnly, Secure, SameSite=Strict and lasts beyond the session", async () => {
    const { context } = await files.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByLabel("Your name").fill("Grace");
    await page.getByRole("button", { name: "Join" }).click();
    await page.waitForURL(`${server.origin}/welcome`);

    const cookies = await context.cookies(server.origin);
    const session = cookies.find((cookie) => cookie.name === sessionCookie);
    expect(session).toMatchObject({
      value: "Grace",
      domain: "127.0.0.1",
      path: "/",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    });
    // -1 would be a cookie that dies with the browser session; Max-Age makes it persistent.
    expect(session?.expires).toBeGreaterThan(0);
  });

  it("given a download link, the file arrives under its own name with its content", async () => {
    const { context, blockedRequests } = await files.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the standings" }).click(),
    ]);

    expect(download.suggestedFilename()).toBe("standings.csv");
    expect(await readFile(await download.path(), "utf8")).toBe(standingsCsv);
    expect(blockedRequests).toEqual([]);
  });
});

describe("the content security policy", () => {
  it("given script-src 'self', the inline script is refused and the same-origin one runs", async () => {
    const { context } = await files.newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });

    const response = await page.goto(`${server.origin}/scripts`);

    expect(response?.headers()["content-security-policy"]).toBe(contentSecurityPolicy);
    expect(await page.title()).toBe("Scripts");
    expect(await page.locator("html").getAttribute("data-same-origin-script")).toBe("ran");
    expect(consoleErrors.join("\n")).toMatch(
      /inline script violates the following Content Security Policy directive 'script-src 'self''/,
    );
  });

  it("given that CSP, axe is injected through the DevTools protocol and runs its rules", async () => {
    const { context } = await files.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/scripts`);

    const results = await expectAccessible(page);

    expect(results.passes.map((rule) => rule.id)).toEqual(
      expect.arrayContaining(["document-title", "html-has-lang"]),
    );
  });

  it("given a context with JavaScript off, expectAccessible says axe needs it instead of hanging", async () => {
    const { context } = await files.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/scripts`);

    expect(await page.locator("html").getAttribute("data-same-origin-script")).toBeNull();
    await expect(expectAccessible(page)).rejects.toThrow(/needs a context with JavaScript on/);
  });
});

describe("expectAccessible", () => {
  it("given the join form, it passes", async () => {
    const { context } = await files.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);

    const results = await expectAccessible(page);

    expect(results.passes.map((rule) => rule.id)).toEqual(
      expect.arrayContaining(["label", "color-contrast"]),
    );
  });

  it("given an image without alt and a field without a label, it fails naming each rule and element", async () => {
    const { context } = await files.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/inaccessible`);

    const failure = await expectAccessible(page).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );

    expect(failure).toMatch(
      /^axe found \d+ serious or critical violation\(s\) on http:\/\/127\.0\.0\.1:\d+\/inaccessible/,
    );
    expect(failure).toMatch(/^- image-alt \(critical\): Images must have alternative text$/m);
    expect(failure).toMatch(/^ {4}img: Fix any of the following:/m);
    expect(failure).toMatch(/^- label \(critical\): Form elements must have labels$/m);
    expect(failure).toMatch(/^ {4}input: Fix any of the following:/m);
  });
});

describe("the route guard", () => {
  it("given a navigation to another host, it aborts it and records it", async () => {
    const { context, blockedRequests } = await files.newContext();
    const page = await context.newPage();

    await expect(page.goto(`${elsewhere}/`)).rejects.toThrow(/net::ERR_BLOCKED_BY_CLIENT/);

    expect(blockedRequests).toEqual([`${elsewhere}/`]);
  });

  it("given a page without CSP that loads an image from another host, it aborts that request alone", async () => {
    const { context, blockedRequests } = await files.newContext();
    const page = await context.newPage();
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));

    await page.goto(`${server.origin}/no-csp/leaky`);

    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Leaky");
    expect(blockedRequests).toEqual([`${elsewhere}/pixel.png`]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^http:\/\/elsewhere\.invalid\/pixel\.png net::ERR_BLOCKED_BY_CLIENT/);
  });
});

describe("the browser's processes", () => {
  it("given a browser with an open page, closing it leaves none of its processes running", async () => {
    const executablePath = await unpackChromium();
    const before = new Set(browserChildren(executablePath));
    const browser = await launchBrowser();
    let processes: ReturnType<typeof processesOf> = [];
    try {
      const launched = browserChildren(executablePath).filter((pid) => !before.has(pid));
      expect(launched).toHaveLength(1);
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      processes = processesOf(launched[0] ?? 0);
      // The browser itself and at least one renderer: --single-process is not in the flags.
      expect(processes.length).toBeGreaterThan(1);
    } finally {
      await browser.close();
    }

    expect(await afterTheyEnd(processes)).toEqual([]);
  });
});
