/** The envelope of every message between the pool (parent) and an engine child, whatever the engine. */

/** Parent → child: one request; the child answers each in order with the same id. */
export interface ChildRequest<Body = unknown> {
  id: number;
  body: Body;
}

export type ChildMessage<Body = unknown> =
  /** Sent once when the engine is ready to take requests; `info` is the engine's own (e.g. a data-dir dump). */
  | { type: "ready"; info?: unknown }
  | { type: "boot-failed"; message: string }
  | { type: "reply"; id: number; body: Body }
  /** The handler threw: the engine may be damaged, and the pool replaces the child. */
  | { type: "failed"; id: number; message: string };
