import type { HomeView } from "@slack/web-api";
import type { Message } from "../../../core/messages.js";
import { limits } from "./limits.js";
import { messageUnits } from "./units.js";

/**
 * The App Home tab from the same blocks as a message: header, fields side by side, choices as
 * buttons. Nothing is uploaded to a tab, so pictures go unmentioned; past 100 blocks the body is
 * cut so the buttons and footer stay.
 */
export function homeView(message: Message): HomeView {
  const { body, tail } = messageUnits(message, { uploadNotes: false });
  const room = Math.max(0, limits.blocksPerView - tail.length);
  const units = [...body.slice(0, room), ...tail].slice(0, limits.blocksPerView);
  return { type: "home", blocks: units.map((unit) => unit.block) };
}
