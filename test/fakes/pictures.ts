import type { PictureOutcome, PictureRenderer } from "../../src/core/ports/pictures.js";

/** A real 1×1 PNG, for pictures a test draws itself. */
export const TINY_PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
);

interface Held {
  svg: string;
  settle(outcome: PictureOutcome): void;
}

/**
 * A picture renderer the test holds: every picture asked for stays "drawing" until the test settles
 * it, as a busy worker pool would keep it, so a test can see what goes out before it is drawn.
 */
export class HeldPictures implements PictureRenderer {
  private readonly held: Held[] = [];
  private readonly askedWaiters: (() => void)[] = [];
  asked = 0;

  png(svg: string): Promise<PictureOutcome> {
    this.asked += 1;
    const drawing = new Promise<PictureOutcome>((settle) => this.held.push({ svg, settle }));
    for (const wake of this.askedWaiters.splice(0)) wake();
    return drawing;
  }

  /** Pictures asked for and not yet settled. */
  get drawing(): number {
    return this.held.length;
  }

  /** Resolves once at least `count` pictures have been asked for. */
  async untilAsked(count = 1): Promise<void> {
    while (this.asked < count) await new Promise<void>((wake) => this.askedWaiters.push(wake));
  }

  /** Every held picture comes out drawn. */
  drawAll(): void {
    this.settleAll({ ok: true, png: TINY_PNG });
  }

  /** Every held picture comes out as `outcome` (busy, failed). */
  settleAll(outcome: PictureOutcome): void {
    for (const { settle } of this.held.splice(0)) settle(outcome);
  }
}
