import type { WebClient } from "@slack/web-api";
import type { Actor } from "../../core/ports/identity.js";

interface Person {
  displayName: string;
  isAdmin: boolean;
  at: number;
}

/** Who moderates: workspace admins and owners, and any user the workspace lists. */
export interface SlackModerators {
  moderators: readonly string[];
}

/** A person's name and role change rarely; a minute keeps users.info well under its rate limit. */
const FRESH_MS = 60_000;

/**
 * Turns a Slack user into the core's actor. Names and admin flags come from users.info, kept for a
 * minute; a lookup that fails still yields an actor (not a moderator), so the learner is answered.
 */
export class SlackPeople {
  private readonly known = new Map<string, Person>();

  constructor(
    private readonly client: WebClient,
    private readonly rule: SlackModerators,
    private readonly now: () => number = Date.now,
  ) {}

  private async person(userId: string, fallbackName: string): Promise<Person> {
    const cached = this.known.get(userId);
    if (cached && this.now() - cached.at < FRESH_MS) return cached;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const person: Person = {
        displayName: user?.profile?.display_name || user?.real_name || user?.name || fallbackName,
        isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
        at: this.now(),
      };
      this.known.set(userId, person);
      return person;
    } catch {
      return { displayName: fallbackName, isAdmin: false, at: this.now() };
    }
  }

  async actor(who: {
    teamId: string;
    teamName?: string | undefined;
    userId: string;
    userName?: string | undefined;
    channelId?: string | undefined;
  }): Promise<Actor> {
    const person = await this.person(who.userId, who.userName ?? who.userId);
    const actor: Actor = {
      platform: "slack",
      spaceExternalId: who.teamId,
      spaceName: who.teamName ?? who.teamId,
      userExternalId: who.userId,
      displayName: person.displayName,
      isModerator: person.isAdmin || this.rule.moderators.includes(who.userId),
    };
    if (who.channelId) actor.channelExternalId = who.channelId;
    return actor;
  }
}
