/**
 * Modals and the Home tab (views.open, views.update, views.publish), and Slack's file upload flow:
 * files.getUploadURLExternal hands out an upload URL on the fake, the bot POSTs the bytes there
 * (see http.ts), then files.completeUploadExternal shares the files into a channel. That is the
 * sequence `WebClient.filesUploadV2` runs.
 */
import { viewProblem } from "./blocks.js";
import { failure, type Method, objectArg, stringArg } from "./method.js";
import type { SharedFile, StoredView } from "./world.js";

function viewAnswer(world: Parameters<Method>[0]["world"], stored: StoredView) {
  return { ok: true, view: world.viewOutput(stored) };
}

const viewsOpen: Method = ({ world, args }) => {
  const triggerId = stringArg(args, "trigger_id");
  const view = objectArg(args, "view");
  if (triggerId === undefined || view === undefined)
    return failure("invalid_arguments", "trigger_id and view are required");
  const triggerProblem = world.triggerProblem(triggerId);
  if (triggerProblem) return failure(triggerProblem);
  const problem = viewProblem(view, "modal");
  if (problem) return failure("invalid_arguments", problem);
  const trigger = world.triggers.get(triggerId);
  if (!trigger) return failure("expired_trigger_id");
  trigger.used = true;
  return viewAnswer(world, world.storeView(trigger.userId, triggerId, view));
};

const viewsUpdate: Method = ({ world, args }) => {
  const view = objectArg(args, "view");
  const viewId = stringArg(args, "view_id");
  const externalId = stringArg(args, "external_id");
  const stored = [...world.views.values()].find(
    (candidate) =>
      (viewId !== undefined && candidate.id === viewId) ||
      (externalId !== undefined && candidate.view.external_id === externalId),
  );
  if (view === undefined) return failure("invalid_arguments", "view is required");
  if (!stored) return failure("not_found");
  const hash = stringArg(args, "hash");
  if (hash !== undefined && hash !== world.viewOutput(stored).hash) return failure("hash_conflict");
  const problem = viewProblem(view, stored.view.type === "home" ? "home" : "modal");
  if (problem) return failure("invalid_arguments", problem);
  stored.view = view;
  stored.updates += 1;
  return viewAnswer(world, stored);
};

const viewsPublish: Method = ({ world, args }) => {
  const userId = stringArg(args, "user_id") ?? "";
  const view = objectArg(args, "view");
  if (view === undefined) return failure("invalid_arguments", "view is required");
  if (!world.users.has(userId)) return failure("user_not_found");
  const problem = viewProblem(view, "home");
  if (problem) return failure("invalid_arguments", problem);
  const existing = world.views.get(world.homeViews.get(userId) ?? "");
  if (existing) {
    existing.view = view;
    existing.updates += 1;
    return viewAnswer(world, existing);
  }
  const stored = world.storeView(userId, null, view);
  world.homeViews.set(userId, stored.id);
  return viewAnswer(world, stored);
};

const getUploadUrl: Method = ({ world, args, origin }) => {
  const filename = stringArg(args, "filename");
  const length = Number(stringArg(args, "length"));
  if (filename === undefined) return failure("invalid_arguments", "filename is required");
  if (!Number.isInteger(length) || length < 1)
    return failure("invalid_arguments", "length must be a positive integer");
  const upload = world.newUpload(filename, length, stringArg(args, "alt_text") ?? null);
  return { ok: true, upload_url: `${origin}/upload/${upload.fileId}`, file_id: upload.fileId };
};

const completeUpload: Method = ({ world, args }) => {
  const files = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
  if (files.length === 0) return failure("invalid_arguments", "files is required");
  const uploads = files.map((file) => ({ upload: world.uploads.get(String(file.id)), title: file.title }));
  const target = stringArg(args, "channel_id");
  const destination = target === undefined ? undefined : world.destination(target);
  for (const { upload } of uploads) {
    // Slack only completes files whose bytes arrived at their upload URL.
    if (!upload || upload.bytes === null || upload.completed) return failure("file_not_found");
  }
  if (target !== undefined && !destination) return failure("channel_not_found");
  if (destination?.channel?.botIsMember === false) return failure("not_in_channel");

  const shared: SharedFile[] = [];
  for (const { upload, title } of uploads) {
    if (!upload) continue;
    upload.completed = true;
    upload.title = typeof title === "string" ? title : upload.filename;
    upload.channelId = destination?.id ?? null;
    upload.initialComment = stringArg(args, "initial_comment") ?? null;
    upload.threadTs = stringArg(args, "thread_ts") ?? null;
    shared.push({
      id: upload.fileId,
      name: upload.filename,
      title: upload.title,
      length: upload.bytes?.length ?? 0,
    });
  }
  if (destination) {
    world.addMessage({
      channel: destination.id,
      text: stringArg(args, "initial_comment") ?? "",
      blocks: [],
      ephemeralTo: null,
      threadTs: stringArg(args, "thread_ts") ?? null,
      files: shared,
      via: "files.completeUploadExternal",
    });
  }
  return {
    ok: true,
    files: shared.map((file) => ({ id: file.id, name: file.name, title: file.title, size: file.length })),
  };
};

export const viewAndFileMethods: Record<string, Method> = {
  "views.open": viewsOpen,
  "views.update": viewsUpdate,
  "views.publish": viewsPublish,
  "files.getUploadURLExternal": getUploadUrl,
  "files.completeUploadExternal": completeUpload,
};
