import { z } from "zod";
import { canonicalTimeZone } from "../core/rules/time.js";
import type { Parsed } from "./fields.js";
import { optional } from "./fields.js";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Logging, time, the scheduler's pace and the tests' hooks. */
export const runtimeEnv = {
  LOG_LEVEL: optional(z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` })),
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .default("UTC")
    .refine(
      (zone) => canonicalTimeZone(zone) !== undefined,
      "must be an IANA time zone, e.g. Europe/Berlin or UTC",
    ),
  CATCH_UP_HOURS: z.coerce
    .number({ error: "must be a number of hours, e.g. 24" })
    .min(0, "must be 0 or more hours")
    .max(24 * 14, "must be at most 336 hours (two weeks)")
    .default(24),
  SENDER_LEASE_SECONDS: z.coerce
    .number({ error: "must be a number of seconds, e.g. 30" })
    .int("must be a whole number of seconds")
    .min(3, "must be at least 3 seconds")
    .max(600, "must be at most 600 seconds")
    .default(30),
  POST_RATE_PER_SECOND: optional(
    z.coerce
      .number({ error: "must be a number, e.g. 20" })
      .positive("must be more than 0")
      .max(1000, "must be at most 1000"),
  ),
  QUORUM_CLOCK_START: optional(
    z.iso.datetime({ offset: true, error: "must be an ISO instant, e.g. 2026-03-02T08:59:00Z" }),
  ),
  QUORUM_FAILPOINT: optional(z.enum(["after-claim"], { error: "must be after-claim (tests only)" })),
};

/** Health, readiness and metrics over HTTP. */
export const httpEnv = {
  HTTP_PORT: optional(
    z.coerce
      .number({ error: "must be a port number, e.g. 8080" })
      .int("must be a whole port number")
      .min(0, "must be from 0 to 65535")
      .max(65_535, "must be from 0 to 65535"),
  ),
  HTTP_HOST: z
    .string()
    .trim()
    .min(1, "must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0")
    .default("127.0.0.1"),
  PUBLIC_URL: optional(
    z
      .url({
        protocol: /^https?$/,
        error: "must be the dashboard's address as people open it, e.g. https://quorum.example.org",
      })
      .transform((url) => url.replace(/\/+$/, "")),
  ),
};

export interface RuntimeConfig {
  /** Unset means the adapter's default: quiet in the terminal chat, info elsewhere. */
  logLevel: (typeof logLevels)[number] | undefined;
  defaultTimezone: string;
  /** Posts missed by less than this while the bot was down are still sent. */
  catchUpMs: number;
  /** Scheduled posts per second per platform; unset means each platform's own default. */
  postRatePerSecond: number | undefined;
  /** How long a process's right to send a platform's posts, and its lease on a post, last unrenewed. */
  senderLeaseMs: number;
  /** Start the clock at this instant (tests and demos); it then runs at real speed. */
  clockStart: Date | undefined;
  /** Health, readiness, metrics and the dashboard over HTTP; off when unset. */
  http: { port: number; host: string; publicUrl: string | undefined } | undefined;
  /** Tests only: stop the process at a named point, to prove recovery. */
  failpoint: "after-claim" | undefined;
}

const HOUR_MS = 3_600_000;

export function runtimeConfig(e: Parsed<typeof runtimeEnv> & Parsed<typeof httpEnv>): RuntimeConfig {
  return {
    logLevel: e.LOG_LEVEL,
    defaultTimezone: canonicalTimeZone(e.DEFAULT_TIMEZONE) ?? "UTC",
    catchUpMs: e.CATCH_UP_HOURS * HOUR_MS,
    postRatePerSecond: e.POST_RATE_PER_SECOND,
    senderLeaseMs: e.SENDER_LEASE_SECONDS * 1000,
    clockStart: e.QUORUM_CLOCK_START === undefined ? undefined : new Date(e.QUORUM_CLOCK_START),
    failpoint: e.QUORUM_FAILPOINT,
    http:
      e.HTTP_PORT === undefined
        ? undefined
        : { port: e.HTTP_PORT, host: e.HTTP_HOST, publicUrl: e.PUBLIC_URL },
  };
}
