import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const NAME = "quorum_notice";

/** What a saved form said, carried across its redirect for the next page to show once. */
export function setFlash(c: Context, text: string, secure: boolean): void {
  setCookie(c, NAME, encodeURIComponent(text.slice(0, 1_000)), {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge: 60,
  });
}

export function takeFlash(c: Context, secure: boolean): string | undefined {
  const raw = getCookie(c, NAME);
  if (raw === undefined) return undefined;
  deleteCookie(c, NAME, { path: "/", secure, httpOnly: true, sameSite: "Lax" });
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
