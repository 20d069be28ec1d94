/**
 * The loop every engine child runs: start the engine, say ready, then answer requests one at a
 * time over the IPC channel. A handler that throws is reported as "failed" (the pool replaces the
 * child); a child whose parent is gone exits.
 */
import type { ChildMessage, ChildRequest } from "./protocol.js";

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * `start` gets the body of the first message (what the pool hands every new child: a template, a
 * setting) and returns what to send with "ready".
 */
export function serveEngine<Init, Request, Reply>(
  start: (init: Init) => Promise<unknown>,
  handle: (request: Request) => Promise<Reply> | Reply,
): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error("This is a sandbox engine process; the sandbox starts it.");
    process.exit(1);
  }
  const post = (message: ChildMessage<Reply>) => send(message);
  process.on("disconnect", () => process.exit(0));
  let chain: Promise<unknown> = Promise.resolve();
  process.once("message", (first: ChildRequest<Init>) => {
    start(first.body).then(
      (info) => {
        process.on("message", (message: ChildRequest<Request>) => {
          chain = chain.then(async () => {
            try {
              post({ type: "reply", id: message.id, body: await handle(message.body) });
            } catch (error) {
              post({ type: "failed", id: message.id, message: firstLine(error) });
            }
          });
        });
        post(info === undefined ? { type: "ready" } : { type: "ready", info });
      },
      (error: unknown) => {
        post({ type: "boot-failed", message: firstLine(error) });
      },
    );
  });
}
