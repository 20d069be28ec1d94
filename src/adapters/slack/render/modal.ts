import type { ModalView, PlainTextInput } from "@slack/web-api";
import { z } from "zod";
import type { Action, ChoiceInput } from "../../../core/messages.js";
import { limits } from "./limits.js";
import { clip, plainText } from "./mrkdwn.js";

/** The callback_id of every form Quorum opens; its submission runs the action with the typed text. */
export const askCallbackId = "quorum:ask";
export const answerBlockId = "answer";
export const answerActionId = "text";

/** The action a form completes, the form's words as the core gives them (see actionForm), and where it was opened. */
export interface ModalRequest extends ChoiceInput {
  action: Action;
  /** Where the button was pressed, so the reply can go back there. */
  channelId?: string;
}

export interface Submission {
  action: Action;
  channelId?: string;
  text: string;
}

/**
 * The form's private_metadata: the action itself as JSON, with a version so a later shape can be
 * told apart. Read back, it is checked field by field; the command's schema validates the arguments.
 */
const metadataSchema = z.object({
  v: z.literal(1),
  command: z.string().min(1),
  args: z.record(z.string().regex(/^[A-Za-z][\w-]*$/), z.string()),
  channelId: z.string().min(1).optional(),
});

const plain = (text: string) => ({ type: "plain_text" as const, text });

/**
 * A form asking for the text that completes `action`. Throws when the action and channel do not fit
 * in private_metadata: buttons only carry actions far shorter, so that is a bug.
 */
export function modalView(request: ModalRequest): ModalView {
  const metadata = JSON.stringify({
    v: 1,
    command: request.action.command,
    args: request.action.args,
    ...(request.channelId ? { channelId: request.channelId } : {}),
  } satisfies z.input<typeof metadataSchema>);
  if (metadata.length > limits.privateMetadata) {
    throw new RangeError(`A form cannot carry the action /${clip(request.action.command, 60)}: too long`);
  }
  const placeholder = plainText(request.placeholder ?? "");
  const input: PlainTextInput = {
    type: "plain_text_input",
    action_id: answerActionId,
    multiline: request.multiline,
    max_length: limits.inputLength,
    ...(placeholder ? { placeholder: plain(clip(placeholder, limits.inputPlaceholder)) } : {}),
  };
  return {
    type: "modal",
    callback_id: askCallbackId,
    title: plain(clip(plainText(request.title) || "Your answer", limits.modalTitle)),
    submit: plain("Submit"),
    close: plain("Cancel"),
    private_metadata: metadata,
    blocks: [
      {
        type: "input",
        block_id: answerBlockId,
        label: plain(clip(plainText(request.label) || "Your answer", limits.inputLabel)),
        element: input,
      },
    ],
  };
}

/** The parts of a submitted view this reads; Bolt's `ViewOutput` has them. */
export interface SubmittedView {
  private_metadata?: string;
  state?: { values: Record<string, Record<string, { value?: string | null }>> };
}

/** The action, channel and typed text of a submitted form; undefined when the view is not one of ours. */
export function readSubmission(view: SubmittedView): Submission | undefined {
  let json: unknown;
  try {
    json = JSON.parse(view.private_metadata ?? "");
  } catch {
    return undefined;
  }
  const metadata = metadataSchema.safeParse(json);
  if (!metadata.success) return undefined;
  const { command, args, channelId } = metadata.data;
  const text = view.state?.values[answerBlockId]?.[answerActionId]?.value ?? "";
  return { action: { command, args }, text, ...(channelId ? { channelId } : {}) };
}
