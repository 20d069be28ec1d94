/** Who the bot is and who people are, and posting messages: auth, users, conversations, chat. */
import { blocksProblem } from "./blocks.js";
import type { ApiAnswer } from "./journal.js";
import { blocksArg, failure, type Method, type MethodContext, stringArg } from "./method.js";
import { botUserInfo, userInfo } from "./workspace.js";
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
  "chat.postMessage": postMessage,
  "chat.postEphemeral": postEphemeral,
  "chat.update": chatUpdate,
};
