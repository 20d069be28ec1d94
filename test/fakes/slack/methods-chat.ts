/** Who the bot is and who people are, and posting messages: auth, users, conversations, chat. */
import { blocksProblem } from "./blocks.js";
import type { ApiAnswer } from "./journal.js";
import { blocksArg, failure, type Method, type MethodContext, stringArg } from "./method.js";
import { botUserInfo, directChannelId, userInfo } from "./workspace.js";
import type { StoredMessage, World } from "./world.js";

/** Slack truncates nothing: a longer `text` is refused. */
const maxTextLength = 40_000;

/** A message as the Web API shows it back to the bot. */
export function messageOutput(world: World, message: StoredMessage): Record<string, unknown> {
  return {
    type: "message",
    user: world.bot.userId,
    bot_id: world.bot.botId,
    app_id: world.bot.appId,
    team: world.teamId,
    text: message.text,
    blocks: message.blocks,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.edited ? { edited: { user: world.bot.userId, ts: message.ts } } : {}),
  };
}

/** The checks chat.postMessage and chat.postEphemeral share; the destination when they pass. */
function postable({ world, args }: MethodContext): { to: string } | ApiAnswer {
  const target = stringArg(args, "channel");
  const destination = target === undefined ? undefined : world.destination(target);
  if (!destination) return failure("channel_not_found");
  if (destination.channel?.botIsMember === false) return failure("not_in_channel");
  const text = stringArg(args, "text");
  if (text === undefined && args.blocks === undefined && args.attachments === undefined)
    return failure("no_text");
  if (text !== undefined && text.length > maxTextLength) return failure("msg_too_long");
  const problem = blocksProblem(args.blocks, "message");
  if (problem) return failure("invalid_blocks", problem);
  return { to: destination.id };
}

const authTest: Method = ({ world, origin }) => ({
  ok: true,
  url: `${origin}/`,
  team: world.teamDomain,
  user: world.bot.name,
  team_id: world.teamId,
  user_id: world.bot.userId,
  bot_id: world.bot.botId,
  is_enterprise_install: false,
});

const usersInfo: Method = ({ world, args }) => {
  const id = stringArg(args, "user") ?? "";
  if (id === world.bot.userId) return { ok: true, user: botUserInfo(world.bot, world.teamId) };
  const user = world.users.get(id);
  return user ? { ok: true, user: userInfo(user, world.teamId) } : failure("user_not_found");
};

const conversationsOpen: Method = ({ world, args }) => {
  const users = (stringArg(args, "users") ?? "").split(",").filter((id) => id !== "");
  const [userId] = users;
  if (users.length > 1) return failure("not_supported_by_fake", "the fake opens DMs with one person only");
  if (userId === undefined) return failure("users_list_not_supplied");
  if (!world.users.has(userId)) return failure("user_not_found");
  return { ok: true, channel: { id: world.openDirectChannel(userId), is_im: true, user: userId } };
};

/**
 * A conversation as Slack describes it: a channel ("G…" private), or a DM with the app. A user id
 * is no conversation here (`channel_not_found`), though chat.postMessage takes one as their DM.
 */
const conversationsInfo: Method = ({ world, args }) => {
  const id = stringArg(args, "channel") ?? "";
  const channel = world.channels.get(id);
  // Every person has a DM with the app, opened or not.
  const dmWith =
    world.directChannels.get(id) ?? [...world.users.keys()].find((user) => directChannelId(user) === id);
  const kind = { is_channel: false, is_group: false, is_im: false, is_mpim: false, is_private: false };
  if (channel) {
    const isPrivate = id.startsWith("G");
    // Slack hides a private channel from an app that is not in it.
    if (isPrivate && channel.botIsMember === false) return failure("channel_not_found");
    const team = channel.teamId ?? world.teamId;
    return {
      ok: true,
      channel: {
        id,
        name: channel.name,
        ...kind,
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_private: isPrivate,
        is_member: channel.botIsMember !== false,
        context_team_id: team,
        shared_team_ids: [team],
      },
    };
  }
  if (dmWith !== undefined) {
    return { ok: true, channel: { id, ...kind, is_im: true, is_private: true, user: dmWith } };
  }
  return failure("channel_not_found");
};

/**
 * The workspace's channels the app may see, as Slack pages them: public ones, and private ones the
 * app is in; `cursor` is the index of the next channel.
 */
const conversationsList: Method = ({ world, args }) => {
  const types = (stringArg(args, "types") ?? "public_channel").split(",");
  const limit = Math.max(1, Math.min(1000, Number(stringArg(args, "limit") ?? 100) || 100));
  const from = Number(stringArg(args, "cursor") ?? 0) || 0;
  const visible = [...world.channels.values()].filter((channel) => {
    const isPrivate = channel.id.startsWith("G");
    if (isPrivate) return types.includes("private_channel") && channel.botIsMember !== false;
    return types.includes("public_channel");
  });
  const page = visible.slice(from, from + limit);
  const next = from + limit < visible.length ? String(from + limit) : "";
  return {
    ok: true,
    channels: page.map((channel) => ({
      id: channel.id,
      name: channel.name,
      is_channel: !channel.id.startsWith("G"),
      is_group: channel.id.startsWith("G"),
      context_team_id: channel.teamId ?? world.teamId,
    })),
    response_metadata: { next_cursor: next },
  };
};

const postMessage: Method = (context) => {
  const checked = postable(context);
  if ("ok" in checked) return checked;
  const { world, args } = context;
  const message = world.addMessage({
    channel: checked.to,
    text: stringArg(args, "text") ?? "",
    blocks: blocksArg(args),
    ephemeralTo: null,
    threadTs: stringArg(args, "thread_ts") ?? null,
    files: [],
    via: "chat.postMessage",
  });
  return { ok: true, channel: message.channel, ts: message.ts, message: messageOutput(world, message) };
};

const postEphemeral: Method = (context) => {
  const { world, args } = context;
  const userId = stringArg(args, "user") ?? "";
  if (!world.users.has(userId)) return failure("user_not_found");
  const checked = postable(context);
  if ("ok" in checked) return checked;
  const message = world.addMessage({
    channel: checked.to,
    text: stringArg(args, "text") ?? "",
    blocks: blocksArg(args),
    ephemeralTo: userId,
    threadTs: stringArg(args, "thread_ts") ?? null,
    files: [],
    via: "chat.postEphemeral",
  });
  return { ok: true, message_ts: message.ts };
};

const chatUpdate: Method = ({ world, args }) => {
  const destination = world.destination(stringArg(args, "channel") ?? "");
  if (!destination) return failure("channel_not_found");
  const message = world.message(destination.id, stringArg(args, "ts") ?? "");
  // Ephemeral messages cannot be edited through the Web API, only through their response_url.
  if (!message || message.ephemeralTo !== null) return failure("message_not_found");
  const text = stringArg(args, "text");
  if (text !== undefined && text.length > maxTextLength) return failure("msg_too_long");
  const problem = blocksProblem(args.blocks, "message");
  if (problem) return failure("invalid_blocks", problem);
  if (text !== undefined) message.text = text;
  if (args.blocks !== undefined) message.blocks = blocksArg(args);
  message.edited = true;
  return {
    ok: true,
    channel: message.channel,
    ts: message.ts,
    text: message.text,
    message: messageOutput(world, message),
  };
};

export const chatMethods: Record<string, Method> = {
  "auth.test": authTest,
  "users.info": usersInfo,
  "conversations.open": conversationsOpen,
  "conversations.info": conversationsInfo,
  "conversations.list": conversationsList,
  "chat.postMessage": postMessage,
  "chat.postEphemeral": postEphemeral,
  "chat.update": chatUpdate,
};
