import type { Child } from "hono/jsx";

/**
 * A box a wide table scrolls sideways in on a phone. Focusable and named, so a keyboard can scroll it
 * and a screen reader says what it holds (axe's scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children?: Child }) {
  return (
    <section class="scroll" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}
