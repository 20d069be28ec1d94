import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../core/commands/registry.js";
import { appRoot } from "../../../paths.js";
import { slashCommands } from "./definitions.js";
import { deployCommands } from "./deploy.js";

const TOKEN = "test-bot-token-not-a-real-one";
const APPLICATION_ID = "100000000000000001";
const GUILD_ID = "200000000000000002";

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

interface FakeDiscord {
  apiUrl: string;
  received: Received[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A stand-in for Discord's API on 127.0.0.1 that records each request and answers with `status`. */
async function fakeDiscord(
  status = 200,
  reply: (body: unknown) => unknown = (body) => body,
): Promise<FakeDiscord> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body: unknown = text ? JSON.parse(text) : undefined;
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        authorization: request.headers.authorization,
        body,
      });
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(reply(body)));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { apiUrl: `http://127.0.0.1:${port}/api`, received };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the variables given, so no real DISCORD_ settings of this machine leak in. */
function deployCli(args: string[], variables: Record<string, string>): Promise<Run> {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...variables };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(appRoot, "src/adapters/discord/deploy-cli.ts"), ...args],
    { cwd: appRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("deployCommands", () => {
  it("given no guild, replaces the global commands with the generated ones", async () => {
    const discord = await fakeDiscord();
    const result = await deployCommands({
      token: TOKEN,
      applicationId: APPLICATION_ID,
      apiUrl: discord.apiUrl,
      commands,
    });
    const expected = slashCommands(commands);
    expect(result).toEqual({ scope: "global", count: expected.length });
    expect(discord.received).toHaveLength(1);
    expect(discord.received[0]).toEqual({
      method: "PUT",
      url: `/api/v10/applications/${APPLICATION_ID}/commands`,
      authorization: `Bot ${TOKEN}`,
      body: JSON.parse(JSON.stringify(expected)),
    });
  });

  it("given a guild, replaces that server's commands", async () => {
    const discord = await fakeDiscord();
    const result = await deployCommands({
      token: TOKEN,
      applicationId: APPLICATION_ID,
      apiUrl: discord.apiUrl,
      guildId: GUILD_ID,
      commands,
    });
    expect(result).toEqual({ scope: "guild", count: slashCommands(commands).length });
    expect(discord.received.map((r) => [r.method, r.url, r.authorization])).toEqual([
      ["PUT", `/api/v10/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`, `Bot ${TOKEN}`],
    ]);
    expect(discord.received[0]?.body).toEqual(JSON.parse(JSON.stringify(slashCommands(commands))));
  });

  it("given Discord refuses, rejects with Discord's message", async () => {
    const discord = await fakeDiscord(403, () => ({ message: "Missing Access", code: 50001 }));
    await expect(
      deployCommands({ token: TOKEN, applicationId: APPLICATION_ID, apiUrl: discord.apiUrl, commands }),
    ).rejects.toThrow("Missing Access");
  });
});

describe("npm run discord:deploy", () => {
  const variables = (apiUrl: string) => ({
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: apiUrl,
  });

  it("given --guild, registers the commands in that server and says they appear at once", async () => {
    const discord = await fakeDiscord();
    const run = await deployCli(["--guild", GUILD_ID], variables(discord.apiUrl));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const count = slashCommands(commands).length;
    expect(run.stdout).toBe(
      `Registered ${count} commands in guild ${GUILD_ID}; guild commands appear at once.\n`,
    );
    expect(discord.received.map((r) => r.url)).toEqual([
      `/api/v10/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
    ]);
  });

  it("given no --guild, registers globally and says it can take up to an hour", async () => {
    const discord = await fakeDiscord();
    const run = await deployCli([], variables(discord.apiUrl));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("globally; global commands can take up to an hour to appear");
    expect(discord.received.map((r) => r.url)).toEqual([`/api/v10/applications/${APPLICATION_ID}/commands`]);
  });

  it("given a --guild that is not a snowflake, prints the usage, exits 2 and calls nobody", async () => {
    const discord = await fakeDiscord();
    const run = await deployCli(["--guild", "my-server"], variables(discord.apiUrl));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--guild must be a Discord server id (17–20 digits)");
    expect(run.stderr).toContain("Usage: npm run discord:deploy");
    expect(discord.received).toEqual([]);
  });

  it("given no DISCORD_TOKEN, prints which variable is missing and the usage, and exits 2", async () => {
    const discord = await fakeDiscord();
    const run = await deployCli([], {
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("DISCORD_TOKEN");
    expect(run.stderr).toContain("Usage: npm run discord:deploy");
    expect(discord.received).toEqual([]);
  });

  it("given no Discord variables at all, says both are needed and exits 2", async () => {
    const run = await deployCli(["--guild", GUILD_ID], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set.");
  });

  it("given Discord refuses the token, prints Discord's message without the token and exits 1", async () => {
    const discord = await fakeDiscord(401, () => ({ message: "401: Unauthorized", code: 0 }));
    const run = await deployCli(["--guild", GUILD_ID], variables(discord.apiUrl));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Discord refused the commands (HTTP 401): 401: Unauthorized");
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
