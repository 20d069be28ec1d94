import type { AnyBlock, KnownBlock, TextObject, View } from "@slack/web-api";
import type { SlackMessagePart } from "./blocks.js";
import { limits } from "./limits.js";

type Problem = (what: string) => void;

function textProblems(what: string, text: TextObject | undefined, max: number, problem: Problem): void {
  if (!text) {
    problem(`${what} has no text`);
    return;
  }
  if (text.text.trim() === "") problem(`${what} is blank`);
  if (text.text.length > max) problem(`${what} has ${text.text.length} characters (max ${max})`);
  const fences = text.text.split("\n").filter((line) => /^\s*```/.test(line)).length;
  if (fences % 2 !== 0) problem(`${what} leaves a code block open`);
}

function blockProblems(block: KnownBlock | AnyBlock, at: string, ids: Set<string>, problem: Problem): void {
  switch (block.type) {
    case "header": {
      const { text } = block as Extract<KnownBlock, { type: "header" }>;
      textProblems(at, text, limits.headerText, problem);
      if (text.type !== "plain_text") problem(`${at} is not plain_text`);
      return;
    }
    case "section": {
      const { text, fields } = block as Extract<KnownBlock, { type: "section" }>;
      if (text) textProblems(at, text, limits.sectionText, problem);
      if (!text && !fields?.length) problem(`${at} has neither text nor fields`);
      if ((fields?.length ?? 0) > limits.sectionFields) problem(`${at} has ${fields?.length} fields`);
      for (const [i, field] of (fields ?? []).entries()) {
        textProblems(`${at} field ${i}`, field, limits.fieldText, problem);
      }
      return;
    }
    case "context": {
      const { elements } = block as Extract<KnownBlock, { type: "context" }>;
      if (elements.length === 0 || elements.length > limits.contextElements) {
        problem(`${at} has ${elements.length} elements`);
      }
      for (const [i, element] of elements.entries()) {
        if (element.type === "mrkdwn" || element.type === "plain_text") {
          textProblems(`${at} element ${i}`, element, limits.contextText, problem);
        }
      }
      return;
    }
    case "actions": {
      const { elements } = block as Extract<KnownBlock, { type: "actions" }>;
      if (elements.length === 0 || elements.length > limits.actionsElements) {
        problem(`${at} has ${elements.length} elements`);
      }
      for (const [i, element] of elements.entries()) {
        if (element.type !== "button") {
          problem(`${at} element ${i} is not a button`);
          continue;
        }
        const what = `${at} button "${element.text.text}"`;
        textProblems(what, element.text, limits.buttonText, problem);
        const id = element.action_id ?? "";
        if (id === "" || id.length > limits.actionId) problem(`${what} has action_id "${id}"`);
        if (ids.has(id)) problem(`action_id "${id}" is used twice`);
        ids.add(id);
        if ((element.value?.length ?? 0) > limits.buttonValue) problem(`${what} value is too long`);
        if ((element.url?.length ?? 0) > limits.buttonUrl) problem(`${what} url is too long`);
        if (element.url === undefined && !element.value) problem(`${what} carries nothing`);
      }
      return;
    }
    case "input":
      return;
    default:
      problem(`${at} is a ${block.type} block, which Quorum does not make`);
  }
}

/** Every way a message part would break one of Slack's limits, in words; empty when Slack accepts it. */
export function limitProblems(part: SlackMessagePart): string[] {
  const problems: string[] = [];
  const problem = (what: string) => void problems.push(what);
  if (part.text.trim() === "") problem("no fallback text");
  if (part.text.length > limits.messageText) problem(`fallback text has ${part.text.length} characters`);
  if (part.blocks.length === 0 || part.blocks.length > limits.blocksPerMessage) {
    problem(`${part.blocks.length} blocks`);
  }
  const json = JSON.stringify(part.blocks).length;
  if (json > limits.blocksJson) problem(`blocks take ${json} characters of JSON (max ${limits.blocksJson})`);
  const ids = new Set<string>();
  for (const [i, block] of part.blocks.entries()) blockProblems(block, `block ${i}`, ids, problem);
  return problems;
}

/** The same for a view (App Home or form). */
export function viewProblems(view: View): string[] {
  const problems: string[] = [];
  const problem = (what: string) => void problems.push(what);
  if (view.blocks.length === 0 || view.blocks.length > limits.blocksPerView) {
    problem(`${view.blocks.length} blocks`);
  }
  if ((view.private_metadata?.length ?? 0) > limits.privateMetadata) problem("private_metadata is too long");
  if (view.type === "modal") {
    for (const [what, text] of [
      ["title", view.title],
      ["submit", view.submit],
      ["close", view.close],
    ] as const) {
      if (text) textProblems(what, text, limits.modalTitle, problem);
    }
  }
  const ids = new Set<string>();
  for (const [i, block] of view.blocks.entries()) blockProblems(block, `block ${i}`, ids, problem);
  return problems;
}
