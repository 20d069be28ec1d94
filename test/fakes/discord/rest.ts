/**
 * The REST side: discord.js calls `{api}/v10/{route}`. Every call is parsed, answered by the first
 * route whose method and pattern match, and recorded, including the ones no route knows (404), so a
 * test can assert the bot called nothing unexpected.
 *
 * No rate-limit headers are sent: @discordjs/rest then treats every bucket as unlimited and never waits.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeGateway } from "./gateway.js";
import { type RecordedFile, type RequestLog, readBody } from "./requests.js";
import type { World } from "./world.js";

export interface Reply {
  status: number;
  body?: unknown;
}

export interface RouteContext {
  world: World;
  gateway: FakeGateway;
  /** The `:name` parts of the pattern, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
  /** Where the fake serves from, for the URLs it hands out (gateway, attachments). */
  origin: string;
}

export interface Route {
  method: string;
  /** Like "/channels/:channel/messages"; a `:name` part matches one path segment. */
  pattern: string;
  handle(context: RouteContext): Reply;
}

export function ok(body?: unknown): Reply {
  return body === undefined ? { status: 204 } : { status: 200, body };
}

/** Discord's error shape, e.g. `{ code: 10003, message: "Unknown Channel" }`. */
export function discordError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message } };
}

const apiPrefix = "/api/v10";

export interface RestOptions {
  world: World;
  gateway: FakeGateway;
  log: RequestLog;
  routes: Route[];
  origin: () => string;
  /** When set, a request whose Authorization names another token gets 401. */
  token: string | undefined;
}

export function restHandler(options: RestOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = request.method ?? "GET";
    const underApi = url.pathname.startsWith(`${apiPrefix}/`);
    const rawPath = underApi ? url.pathname.slice(apiPrefix.length) : url.pathname;
    const authorization = request.headers.authorization;
    const found = underApi ? findRoute(options.routes, method, rawPath) : null;
    const wrongToken =
      options.token !== undefined && authorization !== undefined && authorization !== `Bot ${options.token}`;
    let reply: Reply = discordError(404, 0, "404: Not Found");
    let received: { body: unknown; files: RecordedFile[] } = { body: null, files: [] };
    try {
      received = await readBody(request);
      if (found && wrongToken) reply = discordError(401, 0, "401: Unauthorized");
      else if (found) {
        const { world, gateway } = options;
        const { body, files } = received;
        const context = { world, gateway, params: found.params, query: url.searchParams, body, files };
        reply = found.route.handle({ ...context, origin: options.origin() });
      }
    } catch (error) {
      // A bug in the fake (or a body it cannot parse) should be loud, not a hang.
      const problem = error instanceof Error ? error.stack : String(error);
      reply = discordError(500, 0, `fake Discord failed: ${problem}`);
    }

    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    response.writeHead(reply.status, text === "" ? {} : { "content-type": "application/json" });
    response.end(text);
    options.log.add({
      method,
      path: decoded(rawPath),
      query: Object.fromEntries(url.searchParams),
      route: found ? `${found.route.method} ${found.route.pattern}` : null,
      body: received.body,
      files: received.files,
      authorized: authorization !== undefined,
      status: reply.status,
      response: reply.body ?? null,
    });
  };
}

function findRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    const params = route.method === method ? match(route.pattern, path) : null;
    if (params) return { route, params };
  }
  return null;
}

function match(pattern: string, path: string): Record<string, string> | null {
  const expected = pattern.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = decoded(actual[index] ?? "");
    if (part.startsWith(":")) params[part.slice(1)] = value;
    else if (part !== value) return null;
  }
  return params;
}

/** Percent-decoded (`%40original` → `@original`), or as sent when it is not valid percent-encoding. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
