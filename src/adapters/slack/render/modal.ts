import type { ModalView, PlainTextInput } from "@slack/web-api";
import { limits } from "./limits.js";
import { clip, plainText } from "./mrkdwn.js";

/** The callback_id of every form Quorum opens; its submission runs `${line} ${text}`. */
export const askCallbackId = "quorum:ask";
export const answerBlockId = "answer";
export const answerActionId = "text";

export interface ModalRequest {
  /** The command line the typed text completes, e.g. "/submit sql-customer-order-counts". */
  line: string;
  title: string;
  label: string;
  multiline: boolean;
  placeholder?: string;
  /** Where the button was pressed, so the reply can go back there. */
  channelId?: string;
}

export interface Submission {
  line: string;
  channelId?: string;
  text: string;
}

const plain = (text: string) => ({ type: "plain_text" as const, text });

/**
 * A form asking for the text that completes `line`. Throws when the line and channel do not fit in
 * private_metadata: buttons only carry lines far shorter, so that is a bug.
 */
export function modalView(request: ModalRequest): ModalView {
  const metadata = JSON.stringify({
    line: request.line,
    ...(request.channelId ? { channelId: request.channelId } : {}),
  });
  if (metadata.length > limits.privateMetadata) {
    throw new RangeError(`A form cannot carry the command line "${clip(request.line, 60)}": too long`);
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

/** The line, channel and typed text of a submitted form; undefined when the view is not one of ours. */
export function readSubmission(view: SubmittedView): Submission | undefined {
  let metadata: unknown;
  try {
    metadata = JSON.parse(view.private_metadata ?? "");
  } catch {
    return undefined;
  }
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const { line, channelId } = metadata as { line?: unknown; channelId?: unknown };
  if (typeof line !== "string" || line.trim() === "") return undefined;
  const text = view.state?.values[answerBlockId]?.[answerActionId]?.value ?? "";
  return { line, text, ...(typeof channelId === "string" && channelId ? { channelId } : {}) };
}
