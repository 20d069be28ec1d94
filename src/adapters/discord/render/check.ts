import { ButtonStyle, ComponentType } from "discord.js";
import { embedLength } from "./embeds.js";
import { limits } from "./limits.js";
import type { DiscordPayload } from "./message.js";

/** Every way a payload would break one of Discord's limits, in words; empty when Discord accepts it. */
export function limitProblems(payload: DiscordPayload): string[] {
  const problems: string[] = [];
  const over = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${what} has ${length} characters (max ${max})`);
  };
  const hasContent = (payload.content ?? "").trim() !== "";
  if (!hasContent && !payload.embeds.length && !payload.components.length && !payload.files.length) {
    problems.push("nothing to show");
  }
  over("content", payload.content?.length ?? 0, limits.content);
  if (payload.embeds.length > limits.embedsPerMessage) problems.push(`${payload.embeds.length} embeds`);
  over(
    "all embeds",
    payload.embeds.map(embedLength).reduce((a, b) => a + b, 0),
    limits.embedCharacters,
  );
  payload.embeds.forEach((embed, i) => {
    over(`embed ${i} title`, embed.title?.length ?? 0, limits.embedTitle);
    over(`embed ${i} description`, embed.description?.length ?? 0, limits.embedDescription);
    over(`embed ${i} footer`, embed.footer?.text.length ?? 0, limits.footer);
    if (embedLength(embed) === 0 && !embed.image) problems.push(`embed ${i} is empty`);
    const fields = embed.fields ?? [];
    if (fields.length > limits.embedFields) problems.push(`embed ${i} has ${fields.length} fields`);
    fields.forEach((field, j) => {
      over(`embed ${i} field ${j} name`, field.name.length, limits.fieldName);
      over(`embed ${i} field ${j} value`, field.value.length, limits.fieldValue);
      if (!field.name.trim() || !field.value.trim()) problems.push(`embed ${i} field ${j} is blank`);
    });
  });
  if (payload.components.length > limits.rowsPerMessage) problems.push(`${payload.components.length} rows`);
  const ids = new Set<string>();
  payload.components.forEach((row, i) => {
    if (row.type !== ComponentType.ActionRow) problems.push(`row ${i} is not an action row`);
    if (row.components.length === 0 || row.components.length > limits.buttonsPerRow) {
      problems.push(`row ${i} has ${row.components.length} buttons`);
    }
    for (const button of row.components) {
      const label = "label" in button ? (button.label ?? "") : "";
      if (label.length === 0) problems.push(`a button in row ${i} has no label`);
      over(`button "${label}" label`, label.length, limits.buttonLabel);
      if (button.style === ButtonStyle.Link) {
        over(`link "${label}"`, button.url.length, limits.linkUrl);
      } else if (button.style !== ButtonStyle.Premium) {
        over(`button "${label}" custom_id`, button.custom_id.length, limits.customId);
        if (ids.has(button.custom_id)) problems.push(`custom_id "${button.custom_id}" is used twice`);
        ids.add(button.custom_id);
      }
    }
  });
  if (payload.files.length > limits.attachmentsPerMessage) problems.push(`${payload.files.length} files`);
  for (const file of payload.files) {
    over(`file ${file.name} description`, file.description?.length ?? 0, limits.attachmentDescription);
  }
  for (const embed of payload.embeds) {
    const name = embed.image?.url.replace(/^attachment:\/\//, "");
    if (name !== undefined && name !== embed.image?.url && !payload.files.some((f) => f.name === name)) {
      problems.push(`an embed shows attachment ${name}, which this message does not carry`);
    }
  }
  return problems;
}
