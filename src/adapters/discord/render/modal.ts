import {
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import type { Action, ChoiceInput } from "../../../core/messages.js";
import { customIdFor } from "./custom-id.js";
import { limits } from "./limits.js";
import { clip } from "./text.js";

/** The form's one text input; its value fills the argument the action leaves out. */
export const modalTextId = "text";

/** The action a form completes, and the form's words, as the core gives them (see actionForm). */
export interface ModalRequest extends ChoiceInput {
  action: Action;
}

/**
 * A form asking for the text that completes `action`; its custom_id is the `ask:` id of the button
 * that opened it. Throws when the action is too long for a custom_id: buttons and forms are only
 * made for actions that fit, so that is a bug.
 */
export function modalFor(request: ModalRequest): APIModalInteractionResponseCallbackData {
  const customId = customIdFor({ mode: "ask", action: request.action });
  if (customId === undefined) {
    throw new RangeError(
      `A form cannot carry the action /${request.action.command}: too long for a custom_id`,
    );
  }
  const placeholder = request.placeholder?.trim();
  const input: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: modalTextId,
    style: request.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
    max_length: limits.inputLength,
    required: true,
    ...(placeholder ? { placeholder: clip(placeholder, limits.inputPlaceholder) } : {}),
  };
  return {
    custom_id: customId,
    title: clip(request.title.trim() || "Your answer", limits.modalTitle),
    // A label around the input: Discord has deprecated action rows inside forms.
    components: [
      {
        type: ComponentType.Label,
        label: clip(request.label.trim() || "Your answer", limits.inputLabel),
        component: input,
      },
    ],
  };
}

interface SubmittedInput {
  custom_id?: string;
  customId?: string;
  value?: unknown;
}

/** A submitted form's top-level component, raw from the API or as discord.js gives it. */
export interface SubmittedComponent {
  type: number;
  component?: SubmittedInput;
  components?: readonly SubmittedInput[];
}

/** The text typed into the form's input ("" when there is none), from labels or older action rows. */
export function readModalText(components: readonly SubmittedComponent[]): string {
  const inputs = components.flatMap((c) => [...(c.component ? [c.component] : []), ...(c.components ?? [])]);
  const input = inputs.find((i) => (i.custom_id ?? i.customId) === modalTextId);
  return typeof input?.value === "string" ? input.value : "";
}
