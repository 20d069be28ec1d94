/**
 * Who and what is in the fake workspace: people, channels and the bot. The defaults make a small
 * study group, with an owner and an admin (moderators for the bot) and two members.
 */

export interface FakeSlackUser {
  /** "U…", as Slack writes user ids. */
  id: string;
  /** The handle (`user_name` in slash commands). */
  name: string;
  realName?: string;
  /** Empty on Slack unless the person set one; the bot falls back to the real name. */
  displayName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  /** An IANA zone, e.g. "Europe/London"; default "UTC". */
  tz?: string;
}

export interface FakeSlackChannel {
  /** "C…" for channels. */
  id: string;
  name: string;
  /** When false, posts to it fail with `not_in_channel`; default true. */
  botIsMember?: boolean;
  /** The workspace it belongs to, when another one's (a Slack Connect channel); default the fake's team. */
  teamId?: string;
}

/** The app's own identity in the workspace. */
export interface FakeSlackBot {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export const defaultTeamId = "T0QUORUM";
export const defaultTeamDomain = "quorum-study";

export const defaultBot: FakeSlackBot = {
  userId: "U0QUORUMBOT",
  botId: "B0QUORUM",
  appId: "A0QUORUM",
  name: "quorum",
};

/** The default people: Olive owns the workspace, Adrian administers it, Ada and Grace study. */
export function defaultUsers(): FakeSlackUser[] {
  return [
    { id: "U0OLIVE", name: "olive", realName: "Olive Owner", isOwner: true, tz: "UTC" },
    { id: "U0ADRIAN", name: "adrian", realName: "Adrian Admin", isAdmin: true, tz: "Asia/Tokyo" },
    { id: "U0ADA", name: "ada", realName: "Ada Lovelace", displayName: "ada", tz: "Europe/London" },
    { id: "U0GRACE", name: "grace", realName: "Grace Hopper", tz: "America/New_York" },
  ];
}

export function defaultChannels(): FakeSlackChannel[] {
  return [
    { id: "C0GENERAL", name: "general" },
    { id: "C0STUDY", name: "study" },
  ];
}

/** A user's direct-message channel with the app: "D" and the user id's tail, so it reads as theirs. */
export function directChannelId(userId: string): string {
  return `D${userId.replace(/^[UW]/, "")}`;
}

/** The user object `users.info` answers with: the fields the bot reads, shaped as Slack sends them. */
export function userInfo(user: FakeSlackUser, teamId: string): Record<string, unknown> {
  const realName = user.realName ?? user.name;
  const tz = user.tz ?? "UTC";
  const offsetSeconds = utcOffsetSeconds(tz, new Date());
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    real_name: realName,
    deleted: false,
    tz,
    tz_label: tz,
    tz_offset: offsetSeconds,
    // Slack reports owners as admins too.
    is_admin: Boolean(user.isAdmin || user.isOwner),
    is_owner: Boolean(user.isOwner),
    is_primary_owner: false,
    is_bot: false,
    is_app_user: false,
    profile: {
      real_name: realName,
      display_name: user.displayName ?? "",
      team: teamId,
    },
  };
}

export function botUserInfo(bot: FakeSlackBot, teamId: string): Record<string, unknown> {
  return {
    id: bot.userId,
    team_id: teamId,
    name: bot.name,
    real_name: bot.name,
    deleted: false,
    is_admin: false,
    is_owner: false,
    is_bot: true,
    profile: { real_name: bot.name, display_name: "", bot_id: bot.botId, team: teamId },
  };
}

/** Seconds east of UTC in that zone at that moment, as `tz_offset` gives them. */
function utcOffsetSeconds(timeZone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === "-" ? -seconds : seconds;
}
