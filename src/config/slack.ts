import { z } from "zod";
import type { ConfigError, Parsed } from "./fields.js";
import { optional, token } from "./fields.js";

export const slackEnv = {
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, "must be a Slack bot token starting with xoxb-")),
  SLACK_SIGNING_SECRET: optional(token("the Slack app's signing secret")),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-/, "must be a Slack app-level token starting with xapp-"),
  ),
  SLACK_API_URL: optional(z.url({ error: "must be a URL, e.g. https://slack.com/api/" })),
  SLACK_PORT: z.coerce
    .number({ error: "must be a port number, e.g. 3000" })
    .int("must be a whole port number")
    .min(0, "must be from 0 to 65535")
    .max(65_535, "must be from 0 to 65535")
    .default(3000),
};

/** Read last, as it always was, so problems are reported in the same order. */
export const slackModeratorsEnv = {
  SLACK_MODERATORS: z
    .string()
    .trim()
    .default("")
    .refine((list) => list === "" || /^[UW][A-Z0-9]{2,}(\s*,\s*[UW][A-Z0-9]{2,})*$/.test(list), {
      error: "must be Slack user ids separated by commas, e.g. U012ABCDEF,U034GHIJKL",
    }),
};

type SlackEnv = Parsed<typeof slackEnv> & Parsed<typeof slackModeratorsEnv>;

export interface SlackConfig {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string | undefined;
  /** HTTP mode listens here for /slack/events. */
  port: number;
  /** Members (user ids) who may run moderator commands, besides workspace admins and owners. */
  moderators: string[];
}

/** The bot token needs a signing secret (HTTP mode) or an app token (Socket Mode), and they need it. */
export function slackErrors(e: SlackEnv): ConfigError[] {
  const errors: ConfigError[] = [];
  if (
    e.SLACK_BOT_TOKEN !== undefined &&
    e.SLACK_SIGNING_SECRET === undefined &&
    e.SLACK_APP_TOKEN === undefined
  ) {
    errors.push({
      variable: "SLACK_SIGNING_SECRET",
      message: "must be set when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)",
    });
  }
  if (e.SLACK_BOT_TOKEN === undefined && (e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN) !== undefined) {
    errors.push({ variable: "SLACK_BOT_TOKEN", message: "must be set when other SLACK_ variables are set" });
  }
  return errors;
}

/** Slack starts when its bot token is set. */
export function slackConfig(e: SlackEnv): SlackConfig | undefined {
  if (!e.SLACK_BOT_TOKEN) return undefined;
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    port: e.SLACK_PORT,
    moderators: e.SLACK_MODERATORS === "" ? [] : e.SLACK_MODERATORS.split(",").map((id) => id.trim()),
  };
}
