/**
 * The gateway: the WebSocket over which Discord pushes events to the bot.
 *
 * The conversation, as discord.js 14 holds it (JSON text frames, no transport compression, because
 * discord.js only asks for zlib-stream when the optional zlib-sync package is installed):
 *   fake → HELLO (op 10) with the heartbeat interval
 *   bot  → IDENTIFY (op 2) with its token and intents
 *   fake → READY (op 0), then one GUILD_CREATE per server
 *   bot  → HEARTBEAT (op 1) now and then; fake → HEARTBEAT_ACK (op 11)
 *   fake → INTERACTION_CREATE (op 0) whenever a test "uses" the bot
 * After a drop the bot reconnects to `resume_gateway_url` and sends RESUME (op 6); the fake replays
 * what it missed and says RESUMED.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import { guildCreate, ready } from "./payloads.js";
import type { World } from "./world.js";

interface Dispatch {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

/** A logged-in bot; it outlives one socket so that a reconnecting bot can resume it. */
interface Session {
  id: string;
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
   * Resolves once a bot has identified and been sent its servers; rejects if it asks for a protocol
   * the fake does not speak.
   */
  readonly ready: Promise<void>;
  /** Every IDENTIFY, oldest first. */
  readonly logins: GatewayLogin[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private current: Session | null = null;
  private markReady: () => void = () => {};
  private failReady: (error: Error) => void = () => {};
  private readonly resumeListeners = new Set<() => void>();

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

  /** Whether a bot is logged in to receive events. */
  get hasBot(): boolean {
    return this.current !== null;
  }

  /** Sends an event a person caused (INTERACTION_CREATE) to the logged-in bot; there must be one. */
  dispatch(event: string, data: unknown): void {
    const session = this.current;
    if (!session) throw new Error("Fake Discord: no bot is logged in (await fake.ready first).");
    this.send(session, data, event);
  }

  /** Tells the logged-in bot about a change it caused (GUILD_ROLE_CREATE…), if one is logged in. */
  notify(event: string, data: unknown): void {
    if (this.current) this.send(this.current, data, event);
  }

  /** Asks the bot to reconnect (op 7) and resolves when it has resumed its session. */
  reconnect(): Promise<void> {
    const session = this.current;
    if (!session?.socket) return Promise.reject(new Error("Fake Discord: no bot is connected to reconnect."));
    const resumed = new Promise<void>((resolve) => {
      const listener = () => {
        this.resumeListeners.delete(listener);
        resolve();
      };
      this.resumeListeners.add(listener);
    });
    session.socket.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
    return resumed;
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
        case GatewayOpcodes.Identify:
          if (session) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated.");
          if (!this.tokenAccepted(packet.d?.token)) {
            return socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
          }
          this.logins.push({ token: String(packet.d?.token), intents: Number(packet.d?.intents) });
          session = this.identify(socket);
          return;
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

  private identify(socket: WebSocket): Session {
    const session: Session = { id: randomBytes(16).toString("hex"), socket, sequence: 0, sent: [] };
    this.sessions.set(session.id, session);
    this.current = session;
    const { world } = this.options;
    this.send(session, ready(world, session.id, this.options.url()), GatewayDispatchEvents.Ready);
    for (const guild of world.guilds.values()) {
      this.send(session, guildCreate(world, guild), GatewayDispatchEvents.GuildCreate);
    }
    this.markReady();
    return session;
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
    this.current = session;
    const seen = Number(data.seq ?? 0);
    for (const missed of session.sent.filter((packet) => packet.s > seen))
      socket.send(JSON.stringify(missed));
    this.send(session, {}, GatewayDispatchEvents.Resumed);
    for (const listener of [...this.resumeListeners]) listener();
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
    if (this.current === session) this.current = null;
  }

  private tokenAccepted(token: unknown): boolean {
    return this.options.token === undefined || token === this.options.token;
  }
}
