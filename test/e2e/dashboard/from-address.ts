/** A GET sent from a loopback address of our choosing, to a server on 127.0.0.1: the rate limit counts per address. */
import { request } from "node:http";

/** Resolves with the status of `url` (on 127.0.0.1) fetched from `localAddress` (e.g. 127.0.0.2), body read and dropped. */
export function statusFrom(localAddress: string, url: string): Promise<number> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error(`Only 127.0.0.1 is reached from tests, not ${url}`);
  return new Promise<number>((resolve, reject) => {
    const sent = request(
      { host: target.hostname, port: target.port, path: target.pathname, localAddress, agent: false },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    sent.setTimeout(10_000, () => sent.destroy(new Error(`No answer from ${url} within 10 s`)));
    sent.on("error", reject);
    sent.end();
  });
}
