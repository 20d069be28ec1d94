/** What every Web API method handler gets, and small helpers they share. */
import type { ApiAnswer } from "./journal.js";
import type { World } from "./world.js";

export interface MethodContext {
  world: World;
  /** The decoded arguments (see ApiCall.args). */
  args: Record<string, unknown>;
  /** Where the fake serves, e.g. "http://127.0.0.1:4567", for the URLs it hands out. */
  origin: string;
}

export type Method = (context: MethodContext) => ApiAnswer;

/** Slack's failure shape; `detail` goes where the Web API client logs it (`[ERROR] …`). */
export function failure(error: string, detail?: string): ApiAnswer {
  return detail === undefined
    ? { ok: false, error }
    : { ok: false, error, errors: [detail], response_metadata: { messages: [`[ERROR] ${detail}`] } };
}

/** A string argument, or undefined when missing or empty (form bodies carry everything as text). */
export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function objectArg(args: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = args[name];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function blocksArg(args: Record<string, unknown>): Record<string, unknown>[] {
  const value = args.blocks;
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
