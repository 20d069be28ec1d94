import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Message } from "../../../core/messages.js";

/** Where each attachment of a message was written, by its name. */
export type SavedFiles = ReadonlyMap<string, string>;

/**
 * The terminal cannot show a picture or offer a download, so attachments become files
 * in one folder; a newer board or export of the same name replaces the older one.
 */
export function saveAttachments(message: Message, dir: string): SavedFiles {
  const saved = new Map<string, string>();
  const attachments = [
    ...(message.images ?? []).map((image) => ({ name: image.name, data: image.png })),
    ...(message.files ?? []).map((file) => ({ name: file.name, data: file.data })),
  ];
  if (attachments.length === 0) return saved;
  mkdirSync(dir, { recursive: true });
  for (const { name, data } of attachments) {
    // Names come from the core, but a path separator must never leave the folder.
    const path = join(dir, basename(name).replace(/^\.+/, "_"));
    writeFileSync(path, data);
    saved.set(name, path);
  }
  return saved;
}
