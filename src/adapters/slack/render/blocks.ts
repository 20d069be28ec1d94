import type { KnownBlock } from "@slack/web-api";
import type { Message } from "../../../core/messages.js";
import { limits } from "./limits.js";
import { clip } from "./mrkdwn.js";
import { messageUnits, type Unit } from "./units.js";

export { type ChoiceAction, isLinkAction, parseAction } from "./buttons.js";
export { emptyReply } from "./units.js";

/** One Slack message: what `chat.postMessage`, `chat.postEphemeral` and `respond` take besides the target. */
export interface SlackMessagePart {
  /** The notification and fallback text (mrkdwn): the part reads fully without its blocks. */
  text: string;
  blocks: KnownBlock[];
}

/** A picture or file the adapter uploads after the message, since Block Kit cannot carry bytes. */
export interface Upload {
  name: string;
  data: Uint8Array;
  /** Alt text for a picture; empty for a file. */
  alt: string;
}

export function uploadsOf(message: Message): Upload[] {
  return [
    ...(message.images ?? []).map((image) => ({ name: image.name, data: image.png, alt: image.alt.trim() })),
    ...(message.files ?? []).map((file) => ({ name: file.name, data: file.data, alt: "" })),
  ];
}

/** A block's share of the blocks' JSON: itself and a comma, or the closing bracket for the last. */
const jsonLength = (unit: Unit) => JSON.stringify(unit.block).length + 1;
/** The opening bracket of the blocks' JSON. */
const jsonStart = 1;

/** Units gathered into messages, each within Slack's block count and size. */
class Packer {
  readonly parts: Unit[][] = [];
  private current: Unit[] = [];
  private json = jsonStart;
  private text = 0;

  private fits(units: readonly Unit[]): boolean {
    return (
      this.current.length + units.length <= limits.blocksPerMessage &&
      this.json + units.reduce((n, u) => n + jsonLength(u), 0) <= limits.blocksJson &&
      this.text + units.reduce((n, u) => n + u.text.length + 2, 0) <= limits.messageText
    );
  }

  private push(unit: Unit): void {
    this.current.push(unit);
    this.json += jsonLength(unit);
    this.text += unit.text.length + 2;
  }

  flush(): void {
    if (this.current.length) this.parts.push(this.current);
    this.current = [];
    this.json = jsonStart;
    this.text = 0;
  }

  /** Keeps a group in one message when it fits in any; a group too big for one is spread in order. */
  add(group: readonly Unit[]): void {
    if (!this.fits(group)) this.flush();
    if (this.fits(group)) {
      for (const unit of group) this.push(unit);
      return;
    }
    for (const unit of group) {
      if (!this.fits([unit])) this.flush();
      this.push(unit);
    }
  }
}

function part(units: readonly Unit[]): SlackMessagePart {
  const text = units
    .map((unit) => unit.text)
    .filter((t) => t.trim() !== "")
    .join("\n\n");
  return { text: clip(text, limits.messageText), blocks: units.map((unit) => unit.block) };
}

/**
 * A neutral message as one or more Slack messages in reading order: header, progress, text, fields,
 * sections, then (on the last) notes of the uploads that follow, buttons and the footer. Pictures and
 * files are not in the blocks: send `uploadsOf(message)` after the parts.
 */
export function renderBlocks(message: Message): SlackMessagePart[] {
  const { body, tail } = messageUnits(message, { uploadNotes: true });
  const packer = new Packer();
  for (const unit of body) packer.add([unit]);
  if (tail.length) packer.add(tail);
  packer.flush();
  return packer.parts.map(part);
}
