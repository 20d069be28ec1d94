import { existsSync } from "node:fs";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { HeldPictures } from "../../../test/fakes/pictures.js";
import { actor, realCurriculum, tempDir, testCore } from "../../../test/helpers.js";
import { shownLetter } from "../../../test/shown-letter.js";
import type { Core } from "../../core/dispatch.js";
import { runTerminalChat } from "./chat.js";
import { TerminalConsole } from "./console.js";

/** The piped chat reading `script`, colour off as for a pipe; `written()` is what it wrote so far. */
function pipedChat(script: string, core: Core = testCore().core) {
  const output = new PassThrough();
  const written: Buffer[] = [];
  const wrote: (() => void)[] = [];
  output.on("data", (chunk: Buffer) => {
    written.push(chunk);
    for (const wake of wrote.splice(0)) wake();
  });
  const input = new PassThrough();
  input.end(script);
  const filesDir = tempDir();
  const text = () => Buffer.concat(written).toString("utf8");
  const done = runTerminalChat({
    core,
    input,
    terminal: new TerminalConsole(output, false),
    interactive: false,
    filesDir,
  });
  return {
    done,
    filesDir,
    written: text,
    /** Resolves once the chat has written something containing `expected`. */
    async until(expected: string): Promise<string> {
      while (!text().includes(expected)) await new Promise<void>((wake) => wrote.push(wake));
      return text();
    },
  };
}

/** A cohort where ana has points, then her board: the one line that draws a picture. */
function boardScript(): string {
  const item = realCurriculum().bank.items.find((i) => i.kind === "single");
  if (item?.kind !== "single") throw new Error("no single-choice item");
  return [
    "/cohort create spring 2026-03-02 UTC",
    "@ana /cohort join spring",
    `@ana /answer ${item.id} ${shownLetter(realCurriculum().bank, item.id, item.answer, { learner: actor("ana") })}`,
    "@ana /leaderboard",
    "",
  ].join("\n");
}

describe("the terminal chat, piped", () => {
  it("given input with OSC and CSI sequences, echoes the line's visible text and sends the terminal no ESC, BEL or C1 character", async () => {
    const chat = pipedChat("/roadmap \u001b]0;title\u0007\u001b[2J \u009b31mred\n@ana hi\u001b[1A\u007f\n");
    await chat.done;
    const out = chat.written();
    expect(out).toContain("you › /roadmap ␛]0;title␇␛[2J \ufffd31mred\n");
    expect(out).toContain("ana › hi␛[1A␡\n");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this does.
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it("given a picture still drawing, prints the board's text at once and the saved picture's line once drawn", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const pictures = new HeldPictures();
    const chat = pipedChat(boardScript(), { ...t.core, pictures });

    const shown = await chat.until("━━ spring · Week 1 ━━");
    // The text is out while the picture is still drawing, and no picture line yet.
    expect(pictures.drawing).toBe(1);
    expect(shown).toMatch(/🥇 ana · \d+ pts? ← you/);
    expect(shown).not.toContain("🖼");

    pictures.drawAll();
    await chat.done;
    const path = /^🖼 {2}(\S+leaderboard-week-1\.png)$/m.exec(chat.written())?.[1];
    expect(path?.startsWith(chat.filesDir)).toBe(true);
    expect(existsSync(path ?? "")).toBe(true);
  });

  it("given a picture that ends refused after the text went, prints the line saying it was left out", async () => {
    const t = testCore("2026-03-04T10:00:00Z");
    const pictures = new HeldPictures();
    const chat = pipedChat(boardScript(), { ...t.core, pictures });

    await chat.until("━━ spring · Week 1 ━━");
    pictures.settleAll({ ok: false, reason: "busy", detail: "queue full" });
    await chat.done;
    const out = chat.written();
    expect(out).toContain("The picture is left out: many are being drawn right now.");
    expect(out).not.toContain("🖼");
  });

  it("given numeric short answers written another way, accepts the number in the key's unit and rejects a near miss", async () => {
    const attempts: [string, string, "Right!" | "Not quite"][] = [
      ["w11-work-mem-worst-case", "6,400", "Right!"],
      ["w11-work-mem-worst-case", "6400", "Right!"],
      ["w11-work-mem-worst-case", "6400 MB", "Right!"],
      ["w11-work-mem-worst-case", "6400 GB", "Not quite"],
      ["w11-work-mem-worst-case", "640", "Not quite"],
      ["w14-chain-availability", "99.50", "Right!"],
      ["w14-chain-availability", "99.5 %", "Right!"],
      ["w14-chain-availability", "99.4", "Not quite"],
      ["w12-cache-hit-ratio", "99.0%", "Right!"],
      ["w12-cache-hit-ratio", "90%", "Not quite"],
      ["w16-littles-law-pool", "10 connections", "Right!"],
      ["w16-littles-law-pool", "10 servers", "Not quite"],
      ["w16-littles-law-pool", "11", "Not quite"],
    ];
    // A learner per attempt: a quiz question counts once.
    const script = attempts.map(([id, given], i) => `@learner${i} /answer ${id} ${given}`).join("\n");
    const chat = pipedChat(`${script}\n`);
    await chat.done;
    const verdicts = [...chat.written().matchAll(/Right!|Not quite/g)].map((m) => m[0]);
    expect(verdicts).toEqual(attempts.map(([, , verdict]) => verdict));
  });
});
