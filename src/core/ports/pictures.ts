/** A picture drawn, or why not: every drawer is busy and its queue full, or drawing failed. */
export type PictureOutcome =
  | { ok: true; png: Uint8Array }
  | { ok: false; reason: "busy" | "failed"; detail: string };

/** Turns an SVG picture the core drew into PNG bytes; never makes a reply wait in a queue. */
export interface PictureRenderer {
  png(svg: string): Promise<PictureOutcome>;
}
