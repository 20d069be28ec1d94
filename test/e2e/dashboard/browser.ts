/** Signing a browser in from chat, and reading a dashboard page the way every test of the suite checks one. */
import type { BrowserContext, Cookie, Page, Response } from "playwright-core";
import { expect } from "vitest";
import { expectAccessible } from "../../browser/axe.js";
import { newGuardedContext } from "../../browser/launch.js";
import type { FileBrowser } from "../../browser/use-browser.js";
import { type DashboardBot, dashboardLink } from "./bot.js";

export const SESSION_COOKIE = "quorum_session";

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  /** What the guard aborted: a page of the dashboard asks for nothing off its own origin. */
  blockedRequests: readonly string[];
  /** The response of the page the link redirected to. */
  landed: Response | null;
}

/** `/dashboard` as `user` (undefined: the moderator), the link opened in a new context closed after the test. */
export async function signIn(files: FileBrowser, bot: DashboardBot, user?: string): Promise<SignedIn> {
  const link = await dashboardLink(bot, user);
  const { context, blockedRequests } = await files.newContext();
  const page = await context.newPage();
  const landed = await page.goto(link);
  return { context, page, blockedRequests, landed };
}

/**
 * A session for several tests (in beforeAll): the link opened once, its cookie kept. Sign-ins are
 * rate-limited per address, so tests share these instead of each opening a link of its own.
 */
export async function sessionCookies(
  files: FileBrowser,
  bot: DashboardBot,
  user?: string,
): Promise<Cookie[]> {
  const link = await dashboardLink(bot, user);
  const { context } = await newGuardedContext(files.browser());
  try {
    const page = await context.newPage();
    await page.goto(link);
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toContain(SESSION_COOKIE);
    return cookies;
  } finally {
    await context.close();
  }
}

/** A new context (closed after the test) carrying a session made by `sessionCookies`. */
export async function signedInContext(
  files: FileBrowser,
  cookies: Cookie[],
  options: Parameters<FileBrowser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page; blockedRequests: readonly string[] }> {
  const { context, blockedRequests } = await files.newContext(options);
  await context.addCookies(cookies);
  return { context, page: await context.newPage(), blockedRequests };
}

/** `<script>` tags with their content inline (no src): the CSP would refuse them, so a page must have none. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>/gi)]
    .filter((match) => !/\bsrc\s*=/.test(match[1] ?? ""))
    .map((match) => match[0]);
}

/** The headers every dashboard page is sent with, checked on the response. */
export function expectSecurityHeaders(response: { headers(): Record<string, string> }): void {
  const headers = response.headers();
  const policy = (headers["content-security-policy"] ?? "").split(";").map((part) => part.trim());
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
}

/**
 * Opens `path` and checks what every page must be: the status, the security headers, no inline script,
 * and no serious or critical axe finding. Resolves with the page's HTML as sent.
 */
export async function readPage(page: Page, origin: string, path: string, status = 200): Promise<string> {
  const response = await page.goto(`${origin}${path}`);
  if (!response) throw new Error(`No response for ${path}`);
  expect(response.status(), `${path} answered ${response.status()}`).toBe(status);
  expectSecurityHeaders(response);
  const html = await response.text();
  expect(inlineScripts(html), `inline scripts on ${path}`).toEqual([]);
  await expectAccessible(page);
  return html;
}

/** The session cookie of a context, if it has one. */
export async function sessionCookie(context: BrowserContext, origin: string): Promise<Cookie | undefined> {
  return (await context.cookies(origin)).find((cookie) => cookie.name === SESSION_COOKIE);
}
