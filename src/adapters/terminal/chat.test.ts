import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { tempDir, testCore } from "../../../test/helpers.js";
import { runTerminalChat } from "./chat.js";
import { TerminalConsole } from "./console.js";

/** Everything the piped chat writes for `script`, with colour off as it is for a pipe. */
async function pipedTranscript(script: string): Promise<string> {
  const { core } = testCore();
  const output = new PassThrough();
  const written: Buffer[] = [];
  output.on("data", (chunk: Buffer) => written.push(chunk));
  const input = new PassThrough();
  input.end(script);
  await runTerminalChat({
    core,
    input,
    terminal: new TerminalConsole(output, false),
    interactive: false,
    filesDir: tempDir(),
  });
  return Buffer.concat(written).toString("utf8");
}

describe("the terminal chat, piped", () => {
  it("given input with OSC and CSI sequences, echoes the line's visible text and sends the terminal no ESC, BEL or C1 character", async () => {
    const out = await pipedTranscript(
      "/roadmap \u001b]0;title\u0007\u001b[2J \u009b31mred\n@ana hi\u001b[1A\u007f\n",
    );
    expect(out).toContain("you › /roadmap ␛]0;title␇␛[2J \ufffd31mred\n");
    expect(out).toContain("ana › hi␛[1A␡\n");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this does.
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
