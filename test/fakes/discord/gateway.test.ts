import { once } from "node:events";
import {
  Client,
  Events,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
} from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { type FakeDiscord, fakeGuild, fakeUser, guildIdOnShard, startFakeDiscord } from "./index.js";

let fake: FakeDiscord | undefined;
let client: Client | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function gatewayUrl(fake: FakeDiscord): Promise<string> {
  const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`);
  return ((await response.json()) as { url: string }).url;
}

/** A plain WebSocket that identifies (with `shard`, unless undefined) and keeps every dispatch it is sent. */
async function identify(fake: FakeDiscord, shard: [number, number] | undefined) {
  const socket = new WebSocket(`${await gatewayUrl(fake)}?v=10&encoding=json`);
  sockets.push(socket);
  const dispatches: { t: string; d: Record<string, unknown> }[] = [];
  socket.on("message", (raw) => {
    const packet = JSON.parse(String(raw)) as { op: number; t: string; d: Record<string, unknown> };
    if (packet.op === GatewayOpcodes.Dispatch) dispatches.push(packet);
  });
  await once(socket, "open");
  const d = { token: "t", intents: GatewayIntentBits.Guilds, properties: {}, ...(shard ? { shard } : {}) };
  socket.send(JSON.stringify({ op: GatewayOpcodes.Identify, d }));
  const of = (event: string) => dispatches.filter((packet) => packet.t === event).map((packet) => packet.d);
  return { socket, of };
}

describe("the fake Discord's login", () => {
  it("lets the bot resume after Discord asks it to reconnect, and keeps delivering interactions", async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) void interaction.reply("still here");
    });
    await client.login("fake-token");
    await fake.ready;

    await fake.reconnect();
    const reply = await fake.slash({ user: fakeUser("ada"), name: "ping" }).final();

    expect(reply.body.content).toBe("still here");
    expect(fake.logins).toHaveLength(1);
  });

  it("turns away a bot with the wrong token when a token is set", async () => {
    fake = await startFakeDiscord({ token: "the-right-token" });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });

    await expect(client.login("a-wrong-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["GET /gateway/bot 401"]);
  });

  it("speaks the gateway protocol to a plain WebSocket: hello, heartbeat ack, no resume of an unknown session", async () => {
    fake = await startFakeDiscord();
    const url = await gatewayUrl(fake);
    const socket = new WebSocket(`${url}?v=10&encoding=json`);
    const received: { op: number; d: unknown }[] = [];
    const next = () =>
      new Promise<{ op: number; d: unknown }>((resolve) =>
        socket.once("message", (raw) => resolve(JSON.parse(String(raw)))),
      );

    received.push(await next());
    socket.send(JSON.stringify({ op: GatewayOpcodes.Heartbeat, d: null }));
    received.push(await next());
    socket.send(JSON.stringify({ op: GatewayOpcodes.Resume, d: { token: "t", session_id: "gone", seq: 1 } }));
    received.push(await next());
    socket.close();

    expect(received).toEqual([
      { op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 } },
      { op: GatewayOpcodes.HeartbeatAck },
      { op: GatewayOpcodes.InvalidSession, d: false },
    ]);
  });

  it("refuses a gateway client asking for ETF, and says so through fake.ready", async () => {
    fake = await startFakeDiscord();
    const url = await gatewayUrl(fake);
    const socket = new WebSocket(`${url}?v=10&encoding=etf`);

    const [code] = (await once(socket, "close")) as [number];

    expect(code).toBe(GatewayCloseCodes.InvalidAPIVersion);
    await expect(fake.ready).rejects.toThrow(/JSON without compression/);
  });

  describe("sharding", () => {
    const home = fakeGuild({ id: guildIdOnShard(0, 2), name: "Home" });
    const away = fakeGuild({ id: guildIdOnShard(1, 2), name: "Away" });

    it("given two shards of 2, sends each only its servers (guild_id >> 22 % 2) and its shard in READY", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const zero = await identify(fake, [0, 2]);
      const one = await identify(fake, [1, 2]);

      await vi.waitFor(() => {
        expect(zero.of(GatewayDispatchEvents.GuildCreate)).toHaveLength(1);
        expect(one.of(GatewayDispatchEvents.GuildCreate)).toHaveLength(1);
      });

      expect(zero.of(GatewayDispatchEvents.Ready)[0]).toMatchObject({
        shard: [0, 2],
        guilds: [{ id: home.id }],
      });
      expect(one.of(GatewayDispatchEvents.Ready)[0]).toMatchObject({
        shard: [1, 2],
        guilds: [{ id: away.id }],
      });
      expect(zero.of(GatewayDispatchEvents.GuildCreate)[0]).toMatchObject({ id: home.id });
      expect(one.of(GatewayDispatchEvents.GuildCreate)[0]).toMatchObject({ id: away.id });
      expect(fake.logins.map((login) => login.shard)).toEqual([
        [0, 2],
        [1, 2],
      ]);
    });

    it("given two shards of 2, sends each server's interactions to its shard, and direct messages to shard 0", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const zero = await identify(fake, [0, 2]);
      const one = await identify(fake, [1, 2]);
      await vi.waitFor(() => expect(one.of(GatewayDispatchEvents.Ready)).toHaveLength(1));

      fake.slash({ user: fakeUser("ada"), guildId: away.id, name: "ping" });
      fake.slash({ user: fakeUser("bo"), guildId: home.id, name: "ping" });
      fake.slash({ user: fakeUser("cy"), guildId: null, name: "ping" });

      const guildsOf = (shard: typeof zero) =>
        shard.of(GatewayDispatchEvents.InteractionCreate).map((interaction) => interaction.guild_id ?? null);
      await vi.waitFor(() => expect(guildsOf(zero)).toHaveLength(2));
      expect(guildsOf(zero)).toEqual([home.id, null]);
      expect(guildsOf(one)).toEqual([away.id]);
    });

    it("given only shard 1 of 2 logged in, refuses to send an interaction of a shard-0 server", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const one = await identify(fake, [1, 2]);
      await fake.ready;

      expect(() => fake?.slash({ user: fakeUser("ada"), guildId: home.id, name: "ping" })).toThrow(
        /no bot is logged in for this server's shard/,
      );
      expect(one.of(GatewayDispatchEvents.InteractionCreate)).toEqual([]);
    });

    it("given no shard in IDENTIFY, sends every server, as before sharding", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const all = await identify(fake, undefined);

      await vi.waitFor(() => expect(all.of(GatewayDispatchEvents.GuildCreate)).toHaveLength(2));
      expect(all.of(GatewayDispatchEvents.Ready)[0]).toMatchObject({ shard: [0, 1] });
      expect(fake.logins.map((login) => login.shard)).toEqual([null]);
    });

    it("given a shard id not below the count, closes with 4010 Invalid shard, as Discord does", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const wrong = await identify(fake, [2, 2]);

      const [code] = (await once(wrong.socket, "close")) as [number];

      expect(code).toBe(GatewayCloseCodes.InvalidShard);
      expect(fake.logins).toEqual([]);
    });

    it("given /gateway/bot, recommends one shard for a few servers and one IDENTIFY at a time", async () => {
      fake = await startFakeDiscord({ guilds: [home, away] });
      const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`);

      expect(await response.json()).toMatchObject({
        url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/gateway$/),
        shards: 1,
        session_start_limit: { max_concurrency: 1 },
      });
    });
  });
});
