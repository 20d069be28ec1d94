import type { IncomingMessage } from "node:http";

export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 503; reason: string };

/**
 * Bytes held for requests whose signature is not checked yet, across all of them: strangers can make
 * the bot hold at most this much, however many connections they open.
 */
export class BodyBudget {
  private held = 0;

  constructor(readonly totalBytes: number) {}

  take(bytes: number): boolean {
    if (this.held + bytes > this.totalBytes) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }

  get inUse(): number {
    return this.held;
  }
}

/**
 * The request's body, at most `limit` bytes, counted against the budget while it is read. A declared
 * length over the limit is refused before a byte is read; a body that outgrows it stops being read.
 */
export function readBody(req: IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyRead> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && !/^\d+$/.test(declared)) {
    return Promise.resolve({ ok: false, status: 400, reason: "malformed content-length" });
  }
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.resolve({ ok: false, status: 413, reason: `bodies are at most ${limit} bytes` });
  }
  return new Promise<BodyRead>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      budget.give(size);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      // The rest of a refused body is not read: the connection closes after the answer.
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        finish({ ok: false, status: 413, reason: `bodies are at most ${limit} bytes` });
        return;
      }
      if (!budget.take(chunk.length)) {
        finish({ ok: false, status: 503, reason: "too many requests at once; try again shortly" });
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = () => finish({ ok: false, status: 400, reason: "the request broke off" });
    const onClose = () => finish({ ok: false, status: 400, reason: "the request broke off" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
