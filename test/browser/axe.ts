/** Accessibility check for page tests: axe-core run in the page, failing on serious or critical findings. */
import { AxeBuilder } from "@axe-core/playwright";
import type { AxeResults, Result } from "axe-core";
import type { Page } from "playwright-core";

/** axe's impacts that fail a page; "minor" and "moderate" ones are left to review. */
const failingImpacts = new Set(["serious", "critical"]);

/** One violation as a few readable lines: the rule, what it asks, and each offending element. */
function describe(violation: Result): string {
  const elements = violation.nodes.map((node) => {
    const summary = (node.failureSummary ?? "").replace(/\s*\n\s*/g, " ").trim();
    return `    ${node.target.join(" ")}: ${summary}`;
  });
  return [`- ${violation.id} (${violation.impact}): ${violation.help}`, ...elements].join("\n");
}

/**
 * Whether the page's context was made with `javaScriptEnabled: false`: a document without scripting parses
 * a <noscript>'s content as elements. axe waits on timers, which never fire there, so it would hang.
 */
async function scriptingDisabled(page: Page): Promise<boolean> {
  // A string, since tsconfig has no DOM types for a function run in the page.
  return page.evaluate<boolean>(`(() => {
    const probe = document.createElement("noscript");
    probe.innerHTML = "<p></p>";
    return probe.children.length > 0;
  })()`);
}

/**
 * Runs axe on the page as it is now and throws a readable list if any violation is serious or critical;
 * returns the full results otherwise. axe is injected through the DevTools protocol, which a page's CSP
 * (`script-src 'self'`) does not govern (harness.test.ts shows it on such a page).
 */
export async function expectAccessible(page: Page): Promise<AxeResults> {
  if (await scriptingDisabled(page)) {
    throw new Error(
      "expectAccessible needs a context with JavaScript on (axe runs on timers); a CSP does not stop it, " +
        "so check the page in a context without `javaScriptEnabled: false`",
    );
  }
  const results = await new AxeBuilder({ page }).analyze();
  const failing = results.violations.filter((violation) => failingImpacts.has(violation.impact ?? ""));
  if (failing.length > 0) {
    throw new Error(
      `axe found ${failing.length} serious or critical violation(s) on ${page.url()}:\n` +
        failing.map(describe).join("\n"),
    );
  }
  return results;
}
