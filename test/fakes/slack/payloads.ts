/**
 * What Slack sends the app when someone acts: slash commands and button presses (form-encoded, each
 * with a fresh trigger_id and response_url), form submissions, Events API callbacks. Shaped as Bolt
 * reads them (SlashCommand, BlockAction, ViewSubmitAction, the event envelope).
 */
import { actionIdsIn, type FormState, findButton } from "./components.js";
import { slackId } from "./ids.js";
import { messageOutput } from "./methods-chat.js";
import { directChannelId, type FakeSlackChannel, type FakeSlackUser } from "./workspace.js";
import type { ResponseUrl, StoredMessage, Trigger, World } from "./world.js";

/** Someone: a user from the workspace, or just a user id. */
export type Person = FakeSlackUser | string;
/** A channel from the workspace, or a channel id ("C…", "D…"). */
export type Place = FakeSlackChannel | string;

type Json = Record<string, unknown>;

/** A request ready to sign and send, and what it carries that the bot's answers will refer to. */
export interface Built {
  body: string;
  contentType: "application/x-www-form-urlencoded" | "application/json";
  /** For failure messages: "slash command /quorum quiz". */
  label: string;
  trigger: Trigger | null;
  responseUrl: ResponseUrl | null;
}

/** The legacy verification token Slack still puts in payloads; Bolt ignores it in favour of signatures. */
const verificationToken = "fake-verification-token";

export interface SlashCommandInput {
  user: Person;
  channel: Place;
  /** What follows the command, e.g. "quiz 3". */
  text: string;
  teamId?: string;
  /** Default "/quorum". */
  command?: string;
}

export interface BlockActionInput {
  user: Person;
  actionId: string;
  /** Default: the pressed button's value, found in `message` or the Home view. */
  value?: string;
  /** The message with the button, as the fake stored it; its channel is where the press happens. */
  message?: StoredMessage;
  /** Where the message is, when no `message` is given. */
  channel?: Place;
  /** Pressed on the person's App Home tab: no channel and, as on Slack, no response_url. */
  onHome?: boolean;
  /** Replaces the `container` the fake works out. */
  container?: Json;
}

/** The submitted form: a view the bot opened (from `fake.views`) or just the fields Bolt routes by. */
export interface SubmittedView {
  id?: string;
  callback_id: string;
  private_metadata?: string;
  state: FormState;
  [field: string]: unknown;
}

export interface ViewSubmissionInput {
  user: Person;
  view: SubmittedView;
}

export function personOf(world: World, who: Person): { id: string; name: string } {
  const user = typeof who === "string" ? world.users.get(who) : who;
  return user ? { id: user.id, name: user.name } : { id: String(who), name: String(who) };
}

function placeOf(world: World, where: Place): { id: string; name: string } {
  if (typeof where !== "string") return { id: where.id, name: where.name };
  if (world.directChannels.has(where) || where.startsWith("D")) return { id: where, name: "directmessage" };
  return { id: where, name: world.channels.get(where)?.name ?? where };
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function slashCommand(world: World, origin: string, input: SlashCommandInput): Built {
  const user = personOf(world, input.user);
  const channel = placeOf(world, input.channel);
  const command = input.command ?? "/quorum";
  const label = `slash command ${command} ${input.text}`.trim();
  const trigger = world.issueTrigger(user.id, label);
  const responseUrl = world.issueResponseUrl({
    source: label,
    userId: user.id,
    channelId: channel.id,
    messageTs: null,
  });
  const body = form({
    token: verificationToken,
    command,
    text: input.text,
    user_id: user.id,
    user_name: user.name,
    channel_id: channel.id,
    channel_name: channel.name,
    team_id: input.teamId ?? world.teamId,
    team_domain: world.teamDomain,
    api_app_id: world.bot.appId,
    is_enterprise_install: "false",
    trigger_id: trigger.id,
    response_url: `${origin}/response/${responseUrl.id}`,
  });
  return { body, contentType: "application/x-www-form-urlencoded", label, trigger, responseUrl };
}

export function blockAction(world: World, origin: string, input: BlockActionInput): Built {
  const user = personOf(world, input.user);
  const label = `button ${input.actionId}`;
  const home = input.onHome ? world.views.get(world.homeViews.get(user.id) ?? "") : undefined;
  if (input.onHome && !home)
    throw new Error(`Fake Slack: ${user.name} has no Home tab yet; nothing to press.`);
  const where = input.message?.channel ?? input.channel;
  if (!input.onHome && where === undefined)
    throw new Error("Fake Slack: a button press needs message, channel or onHome.");
  const blocks = home ? ((home.view.blocks ?? []) as unknown[]) : (input.message?.blocks ?? []);
  const found = findButton(blocks, input.actionId);
  if (!found && (home || input.message)) {
    const known = actionIdsIn(blocks).join(", ") || "none";
    throw new Error(`Fake Slack: no button ${input.actionId} to press; the buttons there are: ${known}.`);
  }
  const text = (found?.button.text as Json | undefined) ?? { type: "plain_text", text: input.actionId };
  const action = {
    type: "button",
    action_id: input.actionId,
    block_id: found?.blockId ?? "fake-block",
    text,
    value: input.value ?? (typeof found?.button.value === "string" ? found.button.value : ""),
    action_ts: String(Date.now() / 1000),
  };
  const trigger = world.issueTrigger(user.id, label);
  const payload: Json = {
    type: "block_actions",
    token: verificationToken,
    api_app_id: world.bot.appId,
    trigger_id: trigger.id,
    team: { id: world.teamId, domain: world.teamDomain },
    user: { id: user.id, username: user.name, name: user.name, team_id: world.teamId },
    is_enterprise_install: false,
    enterprise: null,
    actions: [action],
  };
  let responseUrl: ResponseUrl | null = null;
  if (home) {
    Object.assign(payload, { view: world.viewOutput(home), container: { type: "view", view_id: home.id } });
  } else if (where !== undefined) {
    const channel = placeOf(world, where);
    const message = input.message;
    const messageTs = message?.ts ?? null;
    responseUrl = world.issueResponseUrl({
      source: label,
      userId: user.id,
      channelId: channel.id,
      messageTs,
    });
    const container = message
      ? {
          type: "message",
          message_ts: message.ts,
          channel_id: channel.id,
          is_ephemeral: message.ephemeralTo !== null,
        }
      : { type: "message", channel_id: channel.id, is_ephemeral: false };
    Object.assign(payload, {
      channel,
      container,
      response_url: `${origin}/response/${responseUrl.id}`,
      state: { values: {} },
      // Slack leaves the message out when it was ephemeral.
      ...(message && message.ephemeralTo === null ? { message: messageOutput(world, message) } : {}),
    });
  }
  if (input.container) payload.container = input.container;
  const body = form({ payload: JSON.stringify(payload) });
  return { body, contentType: "application/x-www-form-urlencoded", label, trigger, responseUrl };
}

export function viewSubmission(world: World, input: ViewSubmissionInput): Built {
  const user = personOf(world, input.user);
  const stored = input.view.id === undefined ? undefined : world.views.get(input.view.id);
  // A view the test made up rather than one the bot opened: the ids and fields Slack would add.
  const draft = { id: slackId("V"), userId: user.id, triggerId: null, view: { type: "modal" }, updates: 0 };
  const base = world.viewOutput(stored ?? draft);
  const view = {
    ...base,
    ...input.view,
    private_metadata: input.view.private_metadata ?? base.private_metadata ?? "",
  };
  const label = `submission of ${input.view.callback_id}`;
  const trigger = world.issueTrigger(user.id, label);
  const payload = {
    type: "view_submission",
    token: verificationToken,
    api_app_id: world.bot.appId,
    trigger_id: trigger.id,
    team: { id: world.teamId, domain: world.teamDomain },
    user: { id: user.id, username: user.name, name: user.name, team_id: world.teamId },
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const body = form({ payload: JSON.stringify(payload) });
  return { body, contentType: "application/x-www-form-urlencoded", label, trigger, responseUrl: null };
}

/** An Events API callback around `event` (which needs at least its `type`). */
export function eventCallback(world: World, event: Json & { type: string }, eventId?: string): Built {
  const eventTime = Math.floor(Date.now() / 1000);
  const envelope = {
    token: verificationToken,
    team_id: world.teamId,
    api_app_id: world.bot.appId,
    type: "event_callback",
    event_id: eventId ?? slackId("E").replace(/^E/, "Ev"),
    event_time: eventTime,
    event: { event_ts: `${eventTime}.000100`, ...event },
    authorizations: [
      {
        enterprise_id: null,
        team_id: world.teamId,
        user_id: world.bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
  return {
    body: JSON.stringify(envelope),
    contentType: "application/json",
    label: `event ${event.type}`,
    trigger: null,
    responseUrl: null,
  };
}

export function appHomeOpened(world: World, who: Person): Json & { type: string } {
  const user = personOf(world, who);
  const home = world.views.get(world.homeViews.get(user.id) ?? "");
  return {
    type: "app_home_opened",
    user: user.id,
    channel: directChannelId(user.id),
    tab: "home",
    ...(home ? { view: world.viewOutput(home) } : {}),
  };
}
