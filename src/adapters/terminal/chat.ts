import { readFileSync, writeFileSync } from "node:fs";
import { createInterface, type Interface } from "node:readline";
import type { Readable } from "node:stream";
import { type Core, handleText } from "../../core/dispatch.js";
import { type Message, problem } from "../../core/messages.js";
import type { Actor } from "../../core/ports/identity.js";
import type { TerminalConsole } from "./console.js";
import { LOCAL_MODERATOR, readLine } from "./events/line.js";
import { saveAttachments } from "./files/save.js";
import { printable, renderLatePictures, renderMessage } from "./render/text.js";

export interface TerminalChatOptions {
  core: Core;
  input: Readable;
  terminal: TerminalConsole;
  /** A person at a keyboard: prompt, history and completion. Otherwise read every line, then exit. */
  interactive: boolean;
  /** Piped: after each reply, let due posts go out, so a transcript reads in order. */
  settle?: () => Promise<void>;
  /** Where interactive history is kept between runs. */
  historyPath?: string;
  /** Where pictures and exports are written, since a terminal cannot show them. */
  filesDir: string;
  /** Aborted on shutdown: the line being handled finishes, no further line is read. */
  signal?: AbortSignal;
}

const SPACE = "local";

function actorFor(user: string): Actor {
  return {
    platform: "terminal",
    spaceExternalId: SPACE,
    spaceName: "Terminal chat",
    userExternalId: user,
    displayName: user,
    isModerator: user === LOCAL_MODERATOR,
    channelExternalId: SPACE,
  };
}

/**
 * One line in, one reply out; never throws, so a bad line cannot end the chat. The reply comes as
 * soon as its text is ready: pictures still drawing are in `picturesLater`, for the caller to show
 * (or await) when they settle.
 */
export async function replyTo(core: Core, raw: string): Promise<Message | undefined> {
  const line = readLine(raw);
  switch (line.kind) {
    case "skip":
      return undefined;
    case "bad-speaker":
      return problem(line.text);
    case "say":
      return handleText(core, actorFor(line.user), line.text);
  }
}

function completer(core: Core) {
  const names = core.commands.map((c) => `/${c.name}`);
  return (line: string): [string[], string] => {
    const hits = names.filter((name) => name.startsWith(line));
    return [hits.length ? hits : names, line];
  };
}

function loadHistory(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).reverse().slice(0, 500);
  } catch {
    return [];
  }
}

/** Prints where a reply's late pictures were saved, or why they were left out; never rejects. */
async function showLatePictures(
  later: NonNullable<Message["picturesLater"]>,
  terminal: TerminalConsole,
  filesDir: string,
): Promise<void> {
  const late = await later;
  let saved: ReadonlyMap<string, string>;
  try {
    saved = saveAttachments({ images: late.images }, filesDir);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    terminal.print(
      `${renderMessage(problem("The picture could not be saved.", detail), { color: terminal.color })}\n`,
    );
    return;
  }
  terminal.print(`${renderLatePictures(late, { color: terminal.color, saved })}\n`);
}

/** Runs the terminal chat until the input ends (Ctrl+D, or the end of a piped script). */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { core, terminal, interactive } = options;
  const color = terminal.color;
  const prompt = (user: string) => (color ? `\x1b[2m${user} ›\x1b[22m ` : `${user} › `);

  const rl: Interface = createInterface({
    input: options.input,
    ...(interactive
      ? {
          output: terminal.output,
          terminal: true,
          completer: completer(core),
          history: loadHistory(options.historyPath),
          historySize: 500,
        }
      : { terminal: false }),
  });

  if (interactive) {
    terminal.print(
      renderMessage(
        {
          title: "Quorum terminal chat",
          text: `You are **${LOCAL_MODERATOR}**, the moderator of this local space. Type /help to begin; @name /command speaks as someone else; Ctrl+D quits.`,
        },
        { color },
      ),
    );
    // Ctrl+C quits like Ctrl+D, instead of leaving a paused prompt.
    rl.on("SIGINT", () => rl.close());
    rl.setPrompt(prompt(LOCAL_MODERATOR));
    terminal.attach(rl);
    rl.prompt();
  }

  options.signal?.addEventListener("abort", () => rl.close(), { once: true });
  for await (const raw of rl) {
    if (terminal.closed || options.signal?.aborted) break;
    if (!interactive) {
      // The echo is the input's text, never its escape sequences: they are shown as symbols, as in replies.
      const spoken = readLine(raw);
      if (spoken.kind === "say") terminal.print(`${prompt(spoken.user)}${printable(spoken.text)}`);
    }
    const answered = replyTo(core, raw).then((reply) => {
      if (!reply) return undefined;
      // Interactive: the prompt is redrawn below the reply by the console.
      if (interactive) terminal.attach(undefined);
      const saved = saveAttachments(reply, options.filesDir);
      terminal.print(`${renderMessage(reply, { color, saved })}\n`);
      if (interactive) terminal.attach(rl);
      // Boxed: a promise returned from `then` would be waited for, and the pictures must not be.
      return { later: reply.picturesLater };
    });
    // Counted until the reply is printed, so a shutdown lets the line in hand finish.
    const later = (await (core.gate ? core.gate.track(answered) : answered))?.later;
    if (later) {
      const shown = showLatePictures(later, terminal, options.filesDir);
      // Piped, a picture's line comes before the next line's reply, so a transcript reads in order;
      // at a keyboard it is printed above the prompt whenever it is ready.
      const tracked = core.gate ? core.gate.track(shown) : shown;
      if (!interactive) await tracked;
    }
    if (!interactive) await options.settle?.();
    if (interactive) rl.prompt();
  }
  terminal.attach(undefined);
  if (interactive && options.historyPath) {
    const history = (rl as Interface & { history?: string[] }).history ?? [];
    try {
      writeFileSync(options.historyPath, `${[...history].reverse().join("\n")}\n`);
    } catch {
      // History is a convenience; failing to save it must not fail the exit.
    }
  }
}
