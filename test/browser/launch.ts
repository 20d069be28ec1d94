/**
 * A real headless Chromium for page tests: @sparticuz/chromium's binary (shipped inside npm, so a closed
 * machine and CI can have it), driven by playwright-core, kept off every address but loopback.
 */
import sparticuz from "@sparticuz/chromium";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";
import { unpackChromium } from "./unpack.js";

/**
 * @sparticuz's flags that are wrong off AWS Lambda, each with why:
 * - `--single-process`: a second browser context crashes the browser ("Target page, context or browser has
 *   been closed"), seen here.
 * - `--disable-web-security`, `--allow-running-insecure-content`, `--disable-site-isolation-trials`: they turn
 *   off the same-origin and mixed-content rules the dashboard's tests must see a real browser apply.
 * - `--disable-features=…`, `--enable-features=…`: Chromium keeps only the last copy of a switch, so these
 *   would replace playwright's own lists (which turn off startup calls to Google's hosts, among others).
 * - `--headless='shell'`: playwright passes `--headless` itself, and this binary is the headless shell anyway.
 */
const flagsDroppedFromSparticuz = [
  "--single-process",
  "--disable-web-security",
  "--allow-running-insecure-content",
  "--disable-site-isolation-trials",
  "--disable-features=",
  "--enable-features=",
  "--headless",
];

/** Hosts a page may reach; everything else is aborted by the route guard and unresolvable by the flags. */
const loopbackHosts = new Set(["127.0.0.1", "localhost"]);

/**
 * Flags that keep Chromium off the network on a closed machine (playwright passes some of them too; a copy
 * is harmless and keeps this list whole). The host-resolver rule makes every name but loopback unresolvable,
 * which also covers what the route guard cannot see: the browser's own requests, and WebSockets.
 * Left as is (strace shows it): before each connection Chromium's resolver connect()s a UDP socket to Google's
 * public DNS over IPv6 to learn whether IPv6 is routable; a UDP connect is a route lookup and sends no packet.
 */
const offlineFlags = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--no-proxy-server",
  "--disable-client-side-phishing-detection",
  "--disable-domain-reliability",
  "--no-pings",
  `--host-resolver-rules=MAP * ~NOTFOUND, ${[...loopbackHosts].map((host) => `EXCLUDE ${host}`).join(", ")}`,
];

/** The flags Chromium is launched with: @sparticuz's, less the Lambda-only ones, plus the offline ones. */
export function chromiumArgs(): string[] {
  const kept = sparticuz.args.filter(
    (flag) => !flagsDroppedFromSparticuz.some((dropped) => flag === dropped || flag.startsWith(dropped)),
  );
  return [...new Set([...kept, ...offlineFlags])];
}

/** A headless Chromium; the caller closes it (useBrowser does, once per test file). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await unpackChromium(),
    args: chromiumArgs(),
    headless: true,
    // Playwright's default is 3 minutes; a launch here takes well under a second once unpacked.
    timeout: 60_000,
  });
}

/** Whether a URL the page asks for is on this machine's loopback (by the names the servers bind). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return loopbackHosts.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface GuardedContext {
  readonly context: BrowserContext;
  /** Every URL the guard aborted, in order: a test asserts it is empty, or holds just what it expected. */
  readonly blockedRequests: readonly string[];
}

/**
 * A browser context whose every request to a host other than 127.0.0.1/localhost is aborted (the page sees
 * net::ERR_BLOCKED_BY_CLIENT) and recorded. Routes a test adds later run first: they should end in
 * `route.fallback()` or `route.fulfill()`, since `route.continue()` would skip this guard.
 */
export async function newGuardedContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<GuardedContext> {
  // Requests a service worker makes never reach context.route.
  const context = await browser.newContext({ serviceWorkers: "block", ...options });
  const blockedRequests: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (isLoopbackUrl(url)) {
      await route.fallback();
      return;
    }
    blockedRequests.push(url);
    await route.abort("blockedbyclient");
  });
  return { context, blockedRequests };
}
