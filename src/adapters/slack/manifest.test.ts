import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appRoot } from "../../paths.js";
import { SLASH_COMMAND } from "./adapter.js";

interface Manifest {
  features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const manifest = parse(readFileSync(join(appRoot, "slack", "manifest.yaml"), "utf8")) as Manifest;

describe("the Slack app manifest", () => {
  it("given the manifest, it declares the slash command the bot listens to, on the bot's one endpoint", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
  });

  it("given the manifest, buttons, forms and the Home tab are switched on with the scopes the bot calls need", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_home_opened");
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "commands",
        "chat:write",
        "users:read",
        "channels:read",
        "groups:read",
        "im:write",
        "files:write",
      ]),
    );
  });
});
