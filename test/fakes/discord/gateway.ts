/**
 * The gateway: the WebSocket over which Discord pushes events to the bot.
 *
 * The conversation, as discord.js 14 holds it (JSON text frames, no transport compression, because
 * discord.js only asks for zlib-stream when the optional zlib-sync package is installed):
 *   fake → HELLO (op 10) with the heartbeat interval
 *   bot  → IDENTIFY (op 2) with its token, intents and shard [id, count]
 *   fake → READY (op 0), then one GUILD_CREATE per server of that shard
 *   bot  → HEARTBEAT (op 1) now and then; fake → HEARTBEAT_ACK (op 11)
 *   fake → INTERACTION_CREATE (op 0) whenever a test "uses" the bot
 * Each shard is its own session: a server's events go to shard `(guild_id >> 22) % count`, direct
 * messages' to shard 0, as on Discord. A bot that sends no shard gets every server.
 * After a drop the bot reconnects to `resume_gateway_url` and sends RESUME (op 6); the fake replays
 * what it missed and says RESUMED.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import { shardOf } from "./ids.js";
import { guildCreate, ready } from "./payloads.js";
import type { World } from "./world.js";

interface Dispatch {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

/** Shard `id` of `count`, as IDENTIFY names it. */
export type Shard = [id: number, count: number];

/** A logged-in bot (or one shard of it); it outlives one socket so that a reconnecting bot can resume it. */
interface Session {
  id: string;
  /** Null: the bot sent no shard, so it gets every server. */
  shard: Shard | null;
  socket: WebSocket | null;
  sequence: number;
  /** Everything dispatched, so a resume can replay what the bot missed. */
  sent: Dispatch[];
}

/** What a bot said when it logged in. */
export interface GatewayLogin {
  token: string;
  /** The gateway intents bitfield; 1 is Guilds alone. */
  intents: number;
  shard: Shard | null;
}

export interface GatewayOptions {
  world: World;
  /** The ws:// address the bot connects and resumes to. */
  url: () => string;
  /** When set, IDENTIFY and RESUME with another token are refused as Discord does (close 4004). */
  token: string | undefined;
}

export class FakeGateway {
  /**
   * Resolves once a bot (or its first shard) has identified and been sent its servers; rejects if it
   * asks for a protocol the fake does not speak.
   */
  readonly ready: Promise<void>;
  /** Every IDENTIFY, oldest first. */
  readonly logins: GatewayLogin[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  /** The sessions events go to, one per shard, oldest first. */
  private live: Session[] = [];
  private markReady: () => void = () => {};
  private failReady: (error: Error) => void = () => {};
  private readonly resumeListeners = new Set<(session: Session) => void>();

  constructor(private readonly options: GatewayOptions) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Marks the rejection handled here; whoever awaits `ready` still sees it.
    this.ready.catch(() => {});
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /** Whether a bot is logged in to receive this event: the shard of its server (`guild_id`) is. */
  delivers(data: unknown): boolean {
    return this.sessionFor(data) !== undefined;
  }

  /** Sends an event a person caused (INTERACTION_CREATE) to the shard of its server; there must be one. */
  dispatch(event: string, data: unknown): void {
    const session = this.sessionFor(data);
    if (!session)
      throw new Error("Fake Discord: no bot is logged in for that server's shard (await fake.ready first).");
    this.send(session, data, event);
  }

  /** Tells the bot about a change it caused (GUILD_ROLE_CREATE…), if the server's shard is logged in. */
  notify(event: string, data: unknown): void {
    const session = this.sessionFor(data);
    if (session) this.send(session, data, event);
  }

  /** Asks every connected shard to reconnect (op 7) and resolves when each has resumed its session. */
  reconnect(): Promise<void> {
    const connected = this.live.filter((session) => session.socket);
    if (connected.length === 0) {
      return Promise.reject(new Error("Fake Discord: no bot is connected to reconnect."));
    }
    const resumes = connected.map((session) => {
      const resumed = new Promise<void>((resolve) => {
        const listener = (which: Session) => {
          if (which !== session) return;
          this.resumeListeners.delete(listener);
          resolve();
        };
        this.resumeListeners.add(listener);
      });
      session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
      return resumed;
    });
    return Promise.all(resumes).then(() => {});
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", "ws://127.0.0.1").searchParams;
    if (query.get("encoding") !== "json" || query.has("compress") || query.get("v") !== "10") {
      const problem = `fake Discord speaks gateway v10 JSON without compression; the bot asked for ${query}`;
      this.failReady(new Error(problem));
      // 4012 is one of the codes discord.js gives up on, rather than retrying forever.
      socket.close(GatewayCloseCodes.InvalidAPIVersion, problem.slice(0, 120));
      return;
    }
    let session: Session | null = null;
    socket.on("message", (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | null };
      switch (packet.op) {
        case GatewayOpcodes.Heartbeat:
          socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          return;
        case GatewayOpcodes.Identify: {
          if (session) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated.");
          if (!this.tokenAccepted(packet.d?.token)) {
            return socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
          }
          const shard = shardOfIdentify(packet.d?.shard);
          if (shard === "invalid") return socket.close(GatewayCloseCodes.InvalidShard, "Invalid shard.");
          this.logins.push({ token: String(packet.d?.token), intents: Number(packet.d?.intents), shard });
          session = this.identify(socket, shard);
          return;
        }
        case GatewayOpcodes.Resume:
          session = this.resume(socket, packet.d ?? {});
          return;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          return;
        default:
          socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
      }
    });
    socket.on("close", (code) => {
      if (!session || session.socket !== socket) return;
      session.socket = null;
      // A clean close (the bot logging out) ends the session; other codes leave it resumable.
      if (code === 1000 || code === 1001) this.forget(session);
    });
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 } }));
  }

  private identify(socket: WebSocket, shard: Shard | null): Session {
    const session: Session = { id: randomBytes(16).toString("hex"), shard, socket, sequence: 0, sent: [] };
    this.sessions.set(session.id, session);
    this.goLive(session);
    const { world } = this.options;
    const guilds = [...world.guilds.values()].filter((guild) => onShard(shard, guild.config.id));
    const ids = guilds.map((guild) => guild.config.id);
    this.send(session, ready(world, session.id, this.options.url(), shard, ids), GatewayDispatchEvents.Ready);
    for (const guild of guilds) {
      this.send(session, guildCreate(world, guild), GatewayDispatchEvents.GuildCreate);
    }
    this.markReady();
    return session;
  }

  /** Events go to this session from now on, instead of an older one of the same shard. */
  private goLive(session: Session): void {
    this.live = [...this.live.filter((other) => !sameShard(other.shard, session.shard)), session];
  }

  /** The newest live session whose shard holds the event's server (`guild_id`; none: shard 0). */
  private sessionFor(data: unknown): Session | undefined {
    const guildId = (data as { guild_id?: unknown } | null)?.guild_id;
    const server = typeof guildId === "string" ? guildId : undefined;
    return this.live.findLast((session) => onShard(session.shard, server));
  }

  private resume(socket: WebSocket, data: Record<string, unknown>): Session | null {
    const session = this.sessions.get(String(data.session_id));
    if (!session || !this.tokenAccepted(data.token)) {
      // Not resumable: the bot must identify afresh.
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return null;
    }
    session.socket?.terminate();
    session.socket = socket;
    this.goLive(session);
    const seen = Number(data.seq ?? 0);
    for (const missed of session.sent.filter((packet) => packet.s > seen))
      socket.send(JSON.stringify(missed));
    this.send(session, {}, GatewayDispatchEvents.Resumed);
    for (const listener of [...this.resumeListeners]) listener(session);
    return session;
  }

  private send(session: Session, data: unknown, event: string): void {
    session.sequence += 1;
    const packet: Dispatch = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data };
    session.sent.push(packet);
    // Without a socket the packet waits in `sent` for the bot to resume.
    session.socket?.send(JSON.stringify(packet));
  }

  private forget(session: Session): void {
    this.sessions.delete(session.id);
    this.live = this.live.filter((other) => other !== session);
  }

  private tokenAccepted(token: unknown): boolean {
    return this.options.token === undefined || token === this.options.token;
  }
}

/** IDENTIFY's `shard`: absent is null; anything but whole numbers with 0 ≤ id < count is refused (4010). */
function shardOfIdentify(value: unknown): Shard | null | "invalid" {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length !== 2) return "invalid";
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return "invalid";
  const shard: Shard = [id as number, count as number];
  return shard[0] >= 0 && shard[0] < shard[1] ? shard : "invalid";
}

/** Whether a shard gets a server's events; a direct message (no server) goes to shard 0. */
function onShard(shard: Shard | null, guildId: string | undefined): boolean {
  if (!shard) return true;
  return guildId === undefined ? shard[0] === 0 : shardOf(guildId, shard[1]) === shard[0];
}

function sameShard(a: Shard | null, b: Shard | null): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1];
}
