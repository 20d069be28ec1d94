import type { z } from "zod";
import type { Curriculum } from "../curriculum/schema.js";
import type { Grader } from "../grading/grader.js";
import type { ChoiceInput, Message } from "../messages.js";
import type { ChannelDirectory } from "../ports/channels.js";
import type { Clock } from "../ports/clock.js";
import type { Actor } from "../ports/identity.js";
import type { Logger } from "../ports/logger.js";
import type { Metrics } from "../ports/metrics.js";
import type { PictureRenderer } from "../ports/pictures.js";
import type { Store } from "../ports/store.js";
import type { TrackRoles } from "../ports/track-roles.js";
import type { Scheduler } from "../schedules/scheduler.js";
import type { WorkGate } from "../work-gate.js";

export interface Settings {
  /** The zone a cohort gets when its moderator names none. */
  defaultTimezone: string;
  /** Where people open the web dashboard; unset when the HTTP listener is off. */
  dashboardUrl?: string;
}

/** What a handler may use; built by the adapter-independent dispatcher for each call. */
export interface CommandContext {
  actor: Actor;
  /** The platform's id for the event being handled, so a replay of it stores nothing; null where there is none. */
  eventKey: string | null;
  /** The cohort a dashboard page acts on; commands from chat act on the caller's own. */
  cohortId?: number;
  curriculum: Curriculum;
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: Settings;
  /** Posts outside the timetable (post-now) and hears about schedule changes. */
  scheduler: Pick<Scheduler, "postNow" | "wake" | "announce">;
  /** Draws the core's SVG pictures as PNG. */
  pictures: PictureRenderer;
  /** Grades challenge submissions in the sandboxes. */
  grader: Pick<Grader, "grade">;
  /** The registered commands, for /help. */
  commands: readonly AnyCommand[];
  /** Platform roles mirroring role tracks, where the platform has them (Discord). */
  roles?: TrackRoles;
  /** Tells whether a channel belongs to the actor's server or workspace (Discord, Slack). */
  channels?: ChannelDirectory;
  /** Counts handled commands and their time (Prometheus in production). */
  metrics?: Metrics;
  /** Closed on shutdown: commands in flight finish, new ones are turned away. */
  gate?: WorkGate;
}

export type Audience = "everyone" | "moderator";

/**
 * One command of the vocabulary. Every adapter derives its own form from it:
 * Discord options, Slack `/quorum …` text, terminal lines.
 */
export interface Command<Input extends z.ZodObject = z.ZodObject> {
  /** Words after the slash, e.g. "track join". */
  name: string;
  /**
   * Other names that run it. Platforms where a group's root cannot take arguments of its own
   * (Discord: `/challenge` has subcommands) use the alias inside the group: "challenge open".
   */
  aliases?: readonly string[];
  /** One line, at most 100 characters (Discord's limit for descriptions). */
  summary: string;
  audience: Audience;
  group: "start" | "learn" | "practice" | "progress" | "tracks" | "cohorts" | "schedules";
  /** Arguments in the order they are typed; `.describe()` gives each its help text. */
  input: Input;
  /**
   * How its replies are seen when a message does not say (default public). Platforms that must
   * acknowledge before the handler ends (Discord's 3 seconds) also choose a private or public
   * "thinking…" from it.
   */
  replies?: "private" | "public";
  examples: readonly string[];
  /**
   * The words of the form asking for the argument an action of this command leaves out (a button
   * that asks first, a slash command without its query), from the arguments given, unvalidated.
   * Without it, or when it gives none, the argument's own description names the field.
   */
  form?(
    args: Readonly<Record<string, string>>,
    ctx: Pick<CommandContext, "curriculum">,
  ): ChoiceInput | undefined;
  run(input: z.infer<Input>, ctx: CommandContext): Promise<Message>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds commands of every input shape.
export type AnyCommand = Command<any>;
