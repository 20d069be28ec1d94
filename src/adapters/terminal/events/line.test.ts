import { describe, expect, it } from "vitest";
import { readLine } from "./line.js";

describe("terminal lines", () => {
  it("given a plain command, it is said by the moderator `you`", () => {
    expect(readLine("  /roadmap ")).toEqual({ kind: "say", user: "you", text: "/roadmap" });
  });

  it("given @name, speaks as that local user, lower-cased", () => {
    expect(readLine("@Ana /track join dba")).toEqual({ kind: "say", user: "ana", text: "/track join dba" });
  });

  it("given comments and blank lines, skips them", () => {
    expect(readLine("# a note")).toEqual({ kind: "skip" });
    expect(readLine("   ")).toEqual({ kind: "skip" });
  });

  it("given @ with a bad name or nothing to say, explains the right form", () => {
    expect(readLine("@ /roadmap")).toMatchObject({
      kind: "bad-speaker",
      text: expect.stringContaining("@ana /track list"),
    });
    expect(readLine("@bo")).toMatchObject({
      kind: "bad-speaker",
      text: "Say something after @bo, e.g. @bo /track list",
    });
  });
});
