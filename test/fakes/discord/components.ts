/**
 * Interactions on messages: a press on a button the bot sent, and the submission of a modal the bot
 * showed. Both must exist first, as for a person: the fake finds the message or the modal the bot
 * sent and builds the payload from it.
 */
import { ComponentType, InteractionResponseType, InteractionType } from "discord.js";
import { type Actor, type Built, envelope } from "./interactions.js";
import { apiMessage } from "./payloads.js";
import type { MessageBody } from "./requests.js";
import type { World } from "./world.js";

export interface ButtonInput extends Actor {
  customId: string;
  /** The message the button is on; default the newest message the bot sent with that custom id. */
  messageId?: string;
}

export interface ModalSubmitInput extends Actor {
  /** The custom id of a modal the bot showed; the newest one with that id is submitted. */
  customId: string;
  /** Text typed into each field, by the field's custom id. */
  fields: Record<string, string>;
}

/** Whether a message carries a component with that custom id, at any depth. */
function hasCustomId(body: MessageBody, customId: string): boolean {
  return customIds(body).includes(customId);
}

/** Every custom id in a message's components (buttons, selects), in order. */
export function customIds(body: MessageBody): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.custom_id === "string") found.push(record.custom_id);
    visit(record.components);
    visit(record.component);
    visit(record.accessory);
  };
  visit(body.components);
  return found;
}

export function button(world: World, input: ButtonInput, attachmentBase: string): Built {
  const message = input.messageId
    ? world.messages.get(input.messageId)
    : [...world.messages.values()].reverse().find((m) => hasCustomId(m.body, input.customId));
  if (!message || !hasCustomId(message.body, input.customId)) {
    throw new Error(
      `Fake Discord: no message the bot sent has a button "${input.customId}"; a person can only press buttons they see.`,
    );
  }
  // The press happens where the message is.
  const actor: Actor = { ...input, guildId: message.guildId, channelId: message.channelId };
  const built = envelope(world, actor, InteractionType.MessageComponent, `button ${input.customId}`);
  built.payload.data = { custom_id: input.customId, component_type: ComponentType.Button };
  built.payload.message = apiMessage(world, message, attachmentBase);
  built.state.originalMessageId = message.id;
  return built;
}

export function modalSubmit(world: World, input: ModalSubmitInput, attachmentBase: string): Built {
  const shown = [...world.interactions.values()]
    .reverse()
    .find(
      (i) =>
        i.callback?.type === InteractionResponseType.Modal && i.callback.data.custom_id === input.customId,
    );
  if (!shown?.callback) {
    throw new Error(`Fake Discord: the bot showed no modal "${input.customId}", so nobody can submit it.`);
  }
  // The submission comes from where the modal was opened.
  const actor: Actor = { ...input, guildId: shown.guildId, channelId: shown.channelId };
  const built = envelope(world, actor, InteractionType.ModalSubmit, `modal ${input.customId}`);
  built.payload.data = { custom_id: input.customId, components: answers(shown.callback.data, input.fields) };
  // A modal opened from a button comes back with that button's message.
  const source =
    shown.type === InteractionType.MessageComponent
      ? world.messages.get(shown.originalMessageId ?? "")
      : undefined;
  if (source) {
    built.payload.message = apiMessage(world, source, attachmentBase);
    built.state.originalMessageId = source.id;
  }
  return built;
}

interface ModalInput {
  type: number;
  id?: number | undefined;
  custom_id?: string | undefined;
}

/** A top-level piece of a modal: an action row of inputs, or a label around one input. */
interface ModalPart extends ModalInput {
  components?: ModalInput[];
  component?: ModalInput;
}

/** The modal's inputs with the typed values, laid out as the bot laid them out (rows or labels). */
function answers(modal: MessageBody, fields: Record<string, string>): ModalPart[] {
  const inputs = customIds(modal);
  const unknown = Object.keys(fields).filter((id) => !inputs.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `Fake Discord: modal "${modal.custom_id}" has no field ${unknown.join(", ")}; it has ${inputs.join(", ")}.`,
    );
  }
  const answer = ({ type, id, custom_id }: ModalInput) => ({
    type,
    id,
    custom_id,
    value: fields[custom_id ?? ""] ?? "",
  });
  return ((modal.components ?? []) as ModalPart[]).flatMap((part): ModalPart[] => {
    if (part.components) return [{ type: part.type, id: part.id, components: part.components.map(answer) }];
    if (part.component) return [{ type: part.type, id: part.id, component: answer(part.component) }];
    // Text shown in the modal (type 10) comes back too, without a value.
    return [{ type: part.type, id: part.id }];
  });
}
