import type { ActionsBlock, Button } from "@slack/web-api";
import type { AnyCommand } from "../../../core/commands/command.js";
import type { Action, Choice, LinkButton } from "../../../core/messages.js";
import { decodeActionPath, encodeActionPath } from "../../shared/action-path.js";
import { limits } from "./limits.js";
import { clip, escapeMrkdwn, mrkdwnLink, plainText } from "./mrkdwn.js";

/** What a button carries back: run the action, or ask for text first and then run it. */
export interface ChoiceAction {
  mode: "run" | "ask";
  action: Action;
}

/** An actions block and the words it stands for in the message's fallback text. */
export interface ActionsUnit {
  block: ActionsBlock;
  text: string;
}

export interface ActionsLayout {
  units: ActionsUnit[];
  /** Links without a button (no room, or a URL Slack would refuse) or with a clipped label: the text lists them. */
  listedLinks: LinkButton[];
  /** Some choice got no button, or a label Slack may cut, so the text should list the choices in full. */
  choicesUnreadable: boolean;
}

const actionIdPattern = /^quorum:(run|ask):\d+$/;

/** Unique within a message (the choice's place), and the mode travels in it; the action's path is the value. */
export function actionIdFor(mode: ChoiceAction["mode"], index: number): string {
  return `quorum:${mode}:${index}`;
}

/** A pressed button back to its action (see action-path.ts); undefined for anything that is not a choice of ours. */
export function parseAction(
  actionId: string,
  value: string,
  commands: readonly AnyCommand[],
): ChoiceAction | undefined {
  const mode = actionIdPattern.exec(actionId)?.[1];
  if ((mode !== "run" && mode !== "ask") || value.length > limits.buttonValue) return undefined;
  const action = decodeActionPath(value, commands);
  return action && { mode, action };
}

/**
 * Slack reports a press on a link button too and expects it acknowledged; these ids do not start
 * with "quorum:", so they never reach the choice handler.
 */
export const linkActionPrefix = "link:";

export function isLinkAction(actionId: string): boolean {
  return actionId.startsWith(linkActionPrefix);
}

export function isLinkable(url: string): boolean {
  if (url.length > limits.buttonUrl) return false;
  try {
    const protocol = new URL(url).protocol;
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function buttonText(label: string, fallback: string): string {
  return clip(plainText(label) || plainText(fallback) || fallback, limits.buttonText);
}

const styles = { primary: "primary", danger: "danger", secondary: undefined } as const;

function choiceButton(choice: Choice, index: number): Button | undefined {
  const path = encodeActionPath(choice.action);
  if (path === undefined || path.length > limits.buttonValue) return undefined;
  const style = styles[choice.style ?? "secondary"];
  return {
    type: "button",
    action_id: actionIdFor(choice.input ? "ask" : "run", index),
    text: { type: "plain_text", text: buttonText(choice.label, path) },
    value: path,
    ...(style ? { style } : {}),
  };
}

function inBlocks(buttons: readonly Button[], text: (buttons: readonly Button[]) => string): ActionsUnit[] {
  const units: ActionsUnit[] = [];
  for (let i = 0; i < buttons.length; i += limits.actionsElements) {
    const elements = buttons.slice(i, i + limits.actionsElements);
    units.push({ block: { type: "actions", elements }, text: text(elements) });
  }
  return units;
}

/** Choices as buttons (25 to a block), then links as URL buttons in one block of their own. */
export function actionsLayout(choices: readonly Choice[], links: readonly LinkButton[]): ActionsLayout {
  const placed: { button: Button; label: string }[] = [];
  choices.forEach((choice, index) => {
    const button = choiceButton(choice, index);
    if (button) placed.push({ button, label: plainText(choice.label) || (button.value ?? "") });
  });
  const choicesUnreadable =
    placed.length < choices.length ||
    choices.some((choice) => plainText(choice.label).length > limits.buttonTextShown);
  const labels = new Map(placed.map(({ button, label }) => [button, label]));
  // Full labels, even when the text lists the choices too: a part of buttons alone still needs text.
  const choiceText = (buttons: readonly Button[]) =>
    buttons.map((b) => escapeMrkdwn(labels.get(b) ?? "")).join(" · ");
  const units = inBlocks(
    placed.map(({ button }) => button),
    choiceText,
  );

  const linkable = links.filter((link) => isLinkable(link.url)).slice(0, limits.actionsElements);
  const listedLinks = links.filter(
    (link) => !linkable.includes(link) || plainText(link.label).length > limits.buttonText,
  );
  if (linkable.length) {
    const elements: Button[] = linkable.map((link, index) => ({
      type: "button",
      action_id: `${linkActionPrefix}${index}`,
      text: { type: "plain_text", text: buttonText(link.label, link.url) },
      url: link.url,
    }));
    const text = linkable
      .map((link) => mrkdwnLink(link.url, escapeMrkdwn(plainText(link.label) || link.url)))
      .join(" · ");
    units.push({ block: { type: "actions", elements }, text });
  }
  return { units, listedLinks, choicesUnreadable };
}
