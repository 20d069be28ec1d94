/**
 * Slack's documented Block Kit limits, the ones a renderer most easily breaks. Slack refuses such a
 * message or view with `invalid_blocks`; the fake does too, with a readable reason, so a test fails
 * here rather than on the first real workspace.
 */

type Json = Record<string, unknown>;

const maxBlocks = { message: 50, modal: 100, home: 100 } as const;

export type Surface = keyof typeof maxBlocks;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === "string" ? value.text : undefined;
}

function tooLong(what: string, text: string | undefined, max: number): string | null {
  return text !== undefined && text.length > max
    ? `${what} is ${text.length} characters, more than ${max}`
    : null;
}

function buttonProblem(element: Json): string | null {
  if (element.type !== "button") return null;
  if (textOf(element.text) === undefined) return "a button has no text";
  return (
    tooLong("a button's text", textOf(element.text), 75) ??
    tooLong("a button's value", typeof element.value === "string" ? element.value : undefined, 2000) ??
    tooLong("an action_id", typeof element.action_id === "string" ? element.action_id : undefined, 255)
  );
}

function elementsProblem(elements: unknown, max: number): string | null {
  if (!Array.isArray(elements) || elements.length === 0) return "it has no elements";
  if (elements.length > max) return `it has ${elements.length} elements, more than ${max}`;
  const actionIds = new Set<string>();
  for (const element of elements) {
    if (!isObject(element)) return "an element is not an object";
    const problem = buttonProblem(element);
    if (problem) return problem;
    if (typeof element.action_id === "string") {
      if (actionIds.has(element.action_id)) return `action_id ${element.action_id} appears twice`;
      actionIds.add(element.action_id);
    }
  }
  return null;
}

function blockProblem(block: Json): string | null {
  switch (block.type) {
    case "section": {
      const fields = block.fields;
      if (textOf(block.text) === undefined && !Array.isArray(fields)) return "it has neither text nor fields";
      if (Array.isArray(fields) && fields.length > 10) return `it has ${fields.length} fields, more than 10`;
      for (const field of Array.isArray(fields) ? fields : []) {
        const problem = tooLong("a field", textOf(field), 2000);
        if (problem) return problem;
      }
      const accessory = isObject(block.accessory) ? buttonProblem(block.accessory) : null;
      return tooLong("its text", textOf(block.text), 3000) ?? accessory;
    }
    case "header":
      if (!isObject(block.text) || block.text.type !== "plain_text") return "its text is not plain_text";
      return tooLong("its text", textOf(block.text), 150);
    case "actions":
      return elementsProblem(block.elements, 25);
    case "context":
      return elementsProblem(block.elements, 10);
    case "input":
      if (!isObject(block.element)) return "it has no element";
      return textOf(block.label) === undefined
        ? "it has no label"
        : tooLong("its label", textOf(block.label), 2000);
    default:
      return null;
  }
}

/** The first limit these blocks break, or null when Slack would take them. */
export function blocksProblem(blocks: unknown, surface: Surface): string | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return "blocks is not an array";
  const max = maxBlocks[surface];
  if (blocks.length > max) return `${blocks.length} blocks, more than the ${max} a ${surface} may have`;
  const blockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block) || typeof block.type !== "string") return `blocks[${index}] has no type`;
    if (typeof block.block_id === "string") {
      if (block.block_id.length > 255) return `blocks[${index}]: its block_id is longer than 255`;
      if (blockIds.has(block.block_id)) return `blocks[${index}]: block_id ${block.block_id} appears twice`;
      blockIds.add(block.block_id);
    }
    const problem = blockProblem(block);
    if (problem) return `blocks[${index}] (${block.type}): ${problem}`;
  }
  return null;
}

/** The first limit a modal or Home view breaks, or null. */
export function viewProblem(view: unknown, expected: "modal" | "home" | "any"): string | null {
  if (!isObject(view)) return "view is not an object";
  const type = view.type;
  if (type !== "modal" && type !== "home") return `view type ${String(type)} is neither modal nor home`;
  if (expected !== "any" && type !== expected) return `a ${type} view where a ${expected} view belongs`;
  if (type === "modal") {
    if (textOf(view.title) === undefined) return "a modal needs a title";
    const problem =
      tooLong("the title", textOf(view.title), 24) ??
      tooLong("the submit label", textOf(view.submit), 24) ??
      tooLong("the close label", textOf(view.close), 24);
    if (problem) return problem;
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === "input");
    if (hasInput && view.submit === undefined) return "a modal with input blocks needs a submit label";
  }
  const metadata = typeof view.private_metadata === "string" ? view.private_metadata : undefined;
  const callbackId = typeof view.callback_id === "string" ? view.callback_id : undefined;
  return (
    tooLong("private_metadata", metadata, 3000) ??
    tooLong("callback_id", callbackId, 255) ??
    blocksProblem(view.blocks ?? [], type)
  );
}
