import { decodeActionPath } from "../src/adapters/shared/action-path.js";
import { commands } from "../src/core/commands/registry.js";
import type { Action } from "../src/core/messages.js";

/** The action a path names among the real commands, e.g. "/answer w3-q1 a", for tests that build messages. */
export function actionOf(path: string): Action {
  const action = decodeActionPath(path, commands);
  if (!action) throw new Error(`No command's action is written ${path}`);
  return action;
}
