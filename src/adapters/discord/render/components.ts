import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIButtonComponentWithURL,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Choice, LinkButton } from "../../../core/messages.js";
import { choiceAction, customIdFor } from "./custom-id.js";
import { limits } from "./limits.js";
import { clip } from "./text.js";

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

export interface ButtonLayout {
  rows: ButtonRow[];
  /** Links that got no button (no room, or a URL Discord would refuse); the text lists them instead. */
  unplacedLinks: LinkButton[];
  /** Some choice got no button or only a clipped label, so the text should list the choices in full. */
  choicesUnreadable: boolean;
}

const choiceStyles = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
} as const;

function buttonLabel(label: string, fallback: string): string {
  return clip(label.trim() || fallback, limits.buttonLabel);
}

function choiceButtons(choices: readonly Choice[]): APIButtonComponentWithCustomId[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const choice of choices) {
    const customId = customIdFor(choiceAction(choice));
    // Discord refuses a message whose buttons share an id; the text says how to answer anyway.
    if (customId === undefined || seen.has(customId)) continue;
    seen.add(customId);
    buttons.push({
      type: ComponentType.Button,
      style: choiceStyles[choice.style ?? "secondary"],
      label: buttonLabel(choice.label, `/${choice.action.command}`),
      custom_id: customId,
    });
  }
  return buttons;
}

export function isLinkable(url: string): boolean {
  if (url.length > limits.linkUrl) return false;
  try {
    const protocol = new URL(url).protocol;
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function rowsOf<T extends APIButtonComponent>(buttons: readonly T[]): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < buttons.length; i += limits.buttonsPerRow) {
    rows.push(buttons.slice(i, i + limits.buttonsPerRow));
  }
  return rows;
}

/** Choices first, then links on rows of their own; what passes five rows is dropped from the end. */
export function buttonLayout(choices: readonly Choice[], links: readonly LinkButton[]): ButtonLayout {
  const linkable = links.filter((link) => isLinkable(link.url));
  const unplacedLinks = links.filter((link) => !isLinkable(link.url));
  const choiceRows = rowsOf(choiceButtons(choices)).slice(0, limits.rowsPerMessage);
  const placed = choiceRows.reduce((n, row) => n + row.length, 0);
  // Twins share one button, so count the different choices a reader could press.
  const different = new Set(
    choices.map((choice) => customIdFor(choiceAction(choice)) ?? JSON.stringify(choiceAction(choice))),
  ).size;
  const choicesUnreadable =
    placed < different || choices.some((choice) => choice.label.trim().length > limits.buttonLabel);
  const linkRoom = (limits.rowsPerMessage - choiceRows.length) * limits.buttonsPerRow;
  const placedLinks = linkable.slice(0, linkRoom);
  unplacedLinks.push(...linkable.slice(linkRoom));
  const linkButtons: APIButtonComponentWithURL[] = placedLinks.map((link) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: buttonLabel(link.label, link.url),
    url: link.url,
  }));
  const rows = [...choiceRows, ...rowsOf(linkButtons)].map(
    (components): ButtonRow => ({ type: ComponentType.ActionRow, components }),
  );
  // Keep the listed links in the order the message gave them.
  const order = new Map(links.map((link, index) => [link, index]));
  unplacedLinks.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { rows, unplacedLinks, choicesUnreadable };
}
