/**
 * Whether the PostgreSQL lane keeps a started spare engine, so a killed or retired one is replaced
 * without the next attempt waiting about a second for a new one.
 */
import { freemem } from "node:os";
import { defaultLimits } from "../../core/sandbox.js";
import { processLimitMb } from "../pool/limits.js";

export type SpareOption = boolean | "auto";

/**
 * Whether a spare engine fits now: for "auto", while the memory the machine has available (as the
 * kernel counts it: MemAvailable) would hold two engine processes at their limit, the one serving
 * and the spare.
 */
export function spareFits(memoryMb = defaultLimits.memoryMb, availableBytes = freemem()): boolean {
  return availableBytes >= 2 * processLimitMb("postgres", memoryMb) * 1024 * 1024;
}

export function wantsSpare(spare: SpareOption | undefined): boolean {
  return spare === "auto" ? spareFits() : spare === true;
}
