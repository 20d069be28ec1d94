import type { Interface } from "node:readline";
import type { Writable } from "node:stream";

/**
 * The terminal's one output. Replies and posts both go through it, so a post that
 * arrives while someone is typing is printed above the prompt, not into their line.
 */
export class TerminalConsole {
  private prompt: Interface | undefined;
  private readerGone = false;

  constructor(
    readonly output: Writable,
    readonly color: boolean,
  ) {
    // Whoever reads our output went away (`| head`): stop writing quietly.
    output.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      this.readerGone = true;
    });
  }

  get closed(): boolean {
    return this.readerGone;
  }

  attach(prompt: Interface | undefined): void {
    this.prompt = prompt;
  }

  print(text: string): void {
    if (this.readerGone) return;
    if (this.prompt) {
      this.output.write("\r\x1b[K");
      this.output.write(`${text}\n`);
      this.prompt.prompt(true);
      return;
    }
    this.output.write(`${text}\n`);
  }
}
