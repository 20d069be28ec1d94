import { once } from "node:events";
import { Client, Events, GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type FakeDiscord, fakeUser, startFakeDiscord } from "./index.js";

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

async function gatewayUrl(fake: FakeDiscord): Promise<string> {
  const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`);
  return ((await response.json()) as { url: string }).url;
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
});
