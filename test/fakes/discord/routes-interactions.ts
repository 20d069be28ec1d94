/**
 * How the bot answers an interaction. It has one callback (reply, defer, modal, autocomplete
 * choices…), posted without Authorization to /interactions/:id/:token/callback; afterwards it edits
 * that reply ("@original") and posts follow-ups through the webhook named by the application id and
 * the interaction's token.
 */
import { InteractionResponseType, InteractionType, MessageFlags } from "discord.js";
import { apiMessage } from "./payloads.js";
import type { MessageBody } from "./requests.js";
import { discordError, ok, type Reply, type Route, type RouteContext } from "./rest.js";
import type { InteractionState, StoredMessage } from "./world.js";

/** Which callbacks Discord accepts for which kind of interaction. */
const allowedCallbacks: Record<number, InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [
    InteractionResponseType.ApplicationCommandAutocompleteResult,
  ],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

function callback({ world, params, body, files, query, origin }: RouteContext): Reply {
  const interaction = world.interactions.get(params.token ?? "");
  if (!interaction || interaction.id !== params.interaction) {
    return discordError(404, 10062, "Unknown interaction");
  }
  if (interaction.callback) return discordError(400, 40060, "Interaction has already been acknowledged.");
  const { type, data = {} } = body as { type: InteractionResponseType; data?: MessageBody };
  const updatesItsMessage =
    type === InteractionResponseType.UpdateMessage || type === InteractionResponseType.DeferredMessageUpdate;
  if (
    !allowedCallbacks[interaction.type]?.includes(type) ||
    (updatesItsMessage && !interaction.originalMessageId)
  ) {
    return discordError(
      400,
      50035,
      `Invalid Form Body: callback type ${type} cannot answer ${interaction.label}`,
    );
  }
  interaction.callback = { type, data, files };

  let message: StoredMessage | null = null;
  if (type === InteractionResponseType.ChannelMessageWithSource) {
    message = world.post(interaction.channelId, data, files, interaction.token);
  } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
    // Users see "<bot> is thinking…" until the bot edits @original.
    const flags = (data.flags ?? 0) | MessageFlags.Loading;
    message = world.post(interaction.channelId, { content: "", flags }, [], interaction.token);
  } else if (updatesItsMessage) {
    message = world.messages.get(interaction.originalMessageId ?? "") ?? null;
    if (message && type === InteractionResponseType.UpdateMessage) world.edit(message, data, files);
  }
  if (message) interaction.originalMessageId = message.id;

  if (query.get("with_response") !== "true") return ok();
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      response_message_id: message?.id,
      response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
      response_message_ephemeral: message?.ephemeral ?? false,
    },
    resource: message ? { type, message: apiMessage(world, message, `${origin}/attachments`) } : { type },
  });
}

/** The interaction a webhook route names, if the application id and token are right. */
function interactionOf({ world, params }: RouteContext): InteractionState | null {
  if (params.application !== world.applicationId) return null;
  return world.interactions.get(params.token ?? "") ?? null;
}

/** "@original" or the id of a follow-up sent with the same token. */
function webhookMessage(context: RouteContext, interaction: InteractionState): StoredMessage | null {
  const id = context.params.message === "@original" ? interaction.originalMessageId : context.params.message;
  const message = context.world.messages.get(id ?? "");
  const sameInteraction =
    message?.interactionToken === interaction.token || id === interaction.originalMessageId;
  return message && sameInteraction ? message : null;
}

const unknownWebhook = discordError(404, 10015, "Unknown Webhook");
const unknownMessage = discordError(404, 10008, "Unknown Message");

/** A route on one message an interaction's webhook sent: unknown webhook or message answered for it. */
function onWebhookMessage(
  handle: (context: RouteContext, interaction: InteractionState, message: StoredMessage) => Reply,
): (context: RouteContext) => Reply {
  return (context) => {
    const interaction = interactionOf(context);
    if (!interaction) return unknownWebhook;
    const message = webhookMessage(context, interaction);
    return message ? handle(context, interaction, message) : unknownMessage;
  };
}

export const interactionRoutes: Route[] = [
  { method: "POST", pattern: "/interactions/:interaction/:token/callback", handle: callback },
  {
    method: "POST",
    pattern: "/webhooks/:application/:token",
    handle(context) {
      const interaction = interactionOf(context);
      if (!interaction?.callback) return unknownWebhook;
      const body = (context.body ?? {}) as MessageBody;
      const message = context.world.post(interaction.channelId, body, context.files, interaction.token);
      return ok(apiMessage(context.world, message, `${context.origin}/attachments`));
    },
  },
  {
    method: "GET",
    pattern: "/webhooks/:application/:token/messages/:message",
    handle: onWebhookMessage((context, _interaction, message) =>
      ok(apiMessage(context.world, message, `${context.origin}/attachments`)),
    ),
  },
  {
    method: "PATCH",
    pattern: "/webhooks/:application/:token/messages/:message",
    handle: onWebhookMessage((context, interaction, message) => {
      context.world.edit(message, (context.body ?? {}) as MessageBody, context.files);
      if (message.id === interaction.originalMessageId) interaction.originalEdits += 1;
      return ok(apiMessage(context.world, message, `${context.origin}/attachments`));
    }),
  },
  {
    method: "DELETE",
    pattern: "/webhooks/:application/:token/messages/:message",
    handle: onWebhookMessage((context, _interaction, message) => {
      context.world.messages.delete(message.id);
      return ok();
    }),
  },
];
