/** Reading what the bot drew: the buttons in a message's blocks, the inputs of a form. */

type Json = Record<string, unknown>;

/** A submitted form's `state.values`: block_id → action_id → the input's value. */
export type FormState = { values: Record<string, Record<string, Json>> };

/** The button with this action_id among the blocks, and the block holding it. */
export function findButton(
  blocks: unknown[],
  actionId: string,
): { blockId: string; button: Json } | undefined {
  for (const block of blocks as Json[]) {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory] as Json[];
    const button = elements.find((element) => element?.action_id === actionId);
    if (button) return { blockId: String(block.block_id ?? ""), button };
  }
  return undefined;
}

export function actionIdsIn(blocks: unknown[]): string[] {
  return (blocks as Json[]).flatMap((block) =>
    [...(Array.isArray(block.elements) ? block.elements : []), block.accessory]
      .map((element) => (element as Json | undefined)?.action_id)
      .filter((id): id is string => typeof id === "string"),
  );
}

/**
 * The `state.values` of a form filled in: each key is an input's action_id in the view, each value
 * what the person typed. Throws, naming the inputs there are, when one is not in the view.
 */
export function formValues(view: { blocks?: unknown }, answers: Record<string, string>): FormState {
  const inputs = (Array.isArray(view.blocks) ? (view.blocks as Json[]) : [])
    .filter((block) => block.type === "input")
    .map((block) => ({ blockId: String(block.block_id ?? ""), element: (block.element ?? {}) as Json }));
  const values: FormState["values"] = {};
  for (const [actionId, value] of Object.entries(answers)) {
    const input = inputs.find((candidate) => candidate.element.action_id === actionId);
    if (!input) {
      const known = inputs.map((candidate) => String(candidate.element.action_id)).join(", ") || "none";
      throw new Error(`Fake Slack: the form has no input ${actionId}; its inputs are: ${known}.`);
    }
    values[input.blockId] = {
      ...values[input.blockId],
      [actionId]: { type: String(input.element.type), value },
    };
  }
  return { values };
}
