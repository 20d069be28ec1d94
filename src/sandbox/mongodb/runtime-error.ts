/** An engine-side failure while a query runs (not a problem with its text): reported as "runtime". */
export class RuntimeError extends Error {}
