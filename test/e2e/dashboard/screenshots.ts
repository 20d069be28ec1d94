/** Where the README's screenshots go: docs/screenshots only when asked for, so a test run writes nothing there. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { appRoot } from "../../../src/paths.js";
import { tempDir } from "../../helpers.js";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
/** A screenshot kept in the repository stays under this. */
export const MAX_SCREENSHOT_BYTES = 300_000;

/** `QUORUM_SCREENSHOTS=1 npx vitest run test/e2e/dashboard-pages.test.ts` refreshes docs/screenshots. */
export function screenshotDir(): string {
  if (process.env.QUORUM_SCREENSHOTS !== "1") return tempDir();
  const dir = join(appRoot, "docs", "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's width and height from its header, or undefined for anything that is not a PNG. */
export function pngSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}
