import { MessageFlags, type RepliableInteraction } from "discord.js";
import { type LatePictures, type Message, problem, withLatePictures } from "../../../core/messages.js";
import type { Logger } from "../../../core/ports/logger.js";
import { renderMessage } from "../render/message.js";

export interface ResponseTiming {
  /**
   * Work still running after this long is acknowledged with Discord's "thinking…" and the reply
   * edited in later, well inside the 3 seconds Discord allows. 0 defers at once.
   */
  deferAfterMs: number;
}

/**
 * Runs the work and replies with its message: at once when it is quick, else deferred first and
 * edited after. The deferral must choose private or public before the message exists; `privateHint`
 * (the command's usual visibility) decides, and the reply keeps that choice.
 */
export async function respondWith(
  interaction: RepliableInteraction,
  work: () => Promise<Message>,
  privateHint: boolean,
  timing: ResponseTiming,
): Promise<void> {
  let deferral: Promise<unknown> | undefined;
  const defer = () => {
    deferral = interaction.deferReply(privateHint ? { flags: MessageFlags.Ephemeral } : {});
    // Its failure surfaces when awaited below; this stops an unhandled rejection meanwhile.
    deferral.catch(() => {});
  };
  let timer: NodeJS.Timeout | undefined;
  if (timing.deferAfterMs <= 0) defer();
  else timer = setTimeout(defer, timing.deferAfterMs);

  let message: Message;
  try {
    message = await work();
  } finally {
    if (timer) clearTimeout(timer);
  }

  // A message that does not say follows the command's usual visibility, so a quick reply and a
  // deferred one are seen by the same people.
  const wantsPrivate = message.visibility === "private";
  const [first, ...rest] = renderMessage(message, { ephemeral: wantsPrivate });
  if (!first) return;
  // Whether the reply is the interaction's original message, which an edit can complete later.
  let original = true;
  if (!deferral) {
    await interaction.reply(first);
  } else {
    await deferral;
    if (wantsPrivate && !privateHint) {
      // A public "thinking…" cannot turn private: remove it and answer privately instead.
      await interaction.deleteReply();
      await interaction.followUp(first);
      original = false;
    } else {
      // An edit keeps the deferral's visibility, so a public message deferred privately stays private.
      const { flags: _fixedByDeferral, ...edit } = first;
      await interaction.editReply(edit);
    }
  }
  for (const part of rest) await interaction.followUp(part);
  if (message.picturesLater) {
    await addLatePictures(interaction, message, await message.picturesLater, original && rest.length === 0);
  }
}

/**
 * Pictures that were still drawing when the reply went: the reply is edited to show them (or the
 * line saying why they were left out), as if they had been there from the start. A reply spread
 * over several messages, or not the original one, gets them in a follow-up instead.
 */
async function addLatePictures(
  interaction: RepliableInteraction,
  message: Message,
  late: LatePictures,
  editable: boolean,
): Promise<void> {
  const ephemeral = message.visibility === "private";
  const whole = renderMessage(withLatePictures(message, late), { ephemeral });
  const [complete] = whole;
  if (editable && complete && whole.length === 1) {
    // Attachments the reply already has are sent again with the whole message, not kept twice.
    const { flags: _fixedByReply, ...edit } = complete;
    await interaction.editReply({ ...edit, attachments: [] });
    return;
  }
  const alone: Message = {
    ...(late.images.length ? { images: late.images } : {}),
    ...(late.note ? { text: late.note } : {}),
    ...(message.visibility ? { visibility: message.visibility } : {}),
  };
  if (!alone.images && !alone.text) return;
  for (const part of renderMessage(alone, { ephemeral })) await interaction.followUp(part);
}

/** A short private notice with a reference id; the log has the rest. Never throws. */
export async function reportFailure(
  interaction: RepliableInteraction,
  error: unknown,
  logger: Logger,
  context: Record<string, unknown>,
): Promise<void> {
  const ref = crypto.randomUUID().slice(0, 8);
  logger.error({ err: error, ref, ...context }, "discord interaction failed");
  const [notice] = renderMessage(
    problem(`Something went wrong on our side (ref ${ref}).`, "Please try again in a moment."),
    { ephemeral: true },
  );
  if (!notice) return;
  try {
    if (interaction.deferred || interaction.replied) {
      await interaction.followUp(notice);
    } else {
      await interaction.reply(notice);
    }
  } catch (replyError) {
    logger.warn({ err: replyError, ref }, "could not tell the user about a failure");
  }
}
