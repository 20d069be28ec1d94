import {
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import type { Choice } from "../../../core/messages.js";
import { customIdFor } from "./custom-id.js";
import { limits } from "./limits.js";
import { clip } from "./text.js";

// A submitted form's custom_id reads like a button's, so both files offer the parser.
export { type ChoiceAction, parseCustomId } from "./custom-id.js";

/** The form's one text input; its value is appended to the command line. */
export const modalTextId = "text";

export interface ModalRequest {
  /** The command line the typed text completes, e.g. "/submit sql-customer-order-counts". */
  line: string;
  title: string;
  label: string;
  placeholder?: string;
  multiline: boolean;
}

/**
 * A form asking for the text that completes `line`; its custom_id is `ask:` + line. Throws when the
 * line is too long for a custom_id: buttons are only made for lines that fit, so that is a bug.
 */
export function modalFor(request: ModalRequest): APIModalInteractionResponseCallbackData {
  const customId = customIdFor({ kind: "ask", line: request.line });
  if (customId === undefined) {
    throw new RangeError(`A form cannot carry the command line "${request.line}": too long for a custom_id`);
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

/** The form a choice asks for before its command runs; undefined for a plain choice. */
export function modalForChoice(choice: Choice): APIModalInteractionResponseCallbackData | undefined {
  const input = choice.input;
  if (!input) return undefined;
  return modalFor({
    line: choice.id,
    title: input.title,
    label: input.label,
    multiline: input.multiline,
    ...(input.placeholder === undefined ? {} : { placeholder: input.placeholder }),
  });
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
