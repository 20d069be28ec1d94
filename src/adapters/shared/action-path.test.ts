import { describe, expect, it } from "vitest";
import { actionFor, tryActionFor } from "../../core/commands/action.js";
import { answer } from "../../core/commands/answer.js";
import { cohortCreate } from "../../core/commands/cohort-create.js";
import { cohortInfo } from "../../core/commands/cohort-info.js";
import { commands } from "../../core/commands/registry.js";
import { submit } from "../../core/commands/submit.js";
import type { Action } from "../../core/messages.js";
import { decodeActionPath, encodeActionPath } from "./action-path.js";

const roundTrip = (action: Action) => decodeActionPath(encodeActionPath(action) ?? "", commands);

describe("an action written as a path", () => {
  it("given a quiz choice, reads as the command a person would type and comes back the same action", () => {
    const action = actionFor(answer, { question: "w01-left", choice: "b" });
    expect(encodeActionPath(action)).toBe("/answer w01-left b");
    expect(roundTrip(action)).toEqual({ command: "answer", args: { question: "w01-left", choice: "b" } });
  });

  it("given a command of two words and no arguments, keeps its name whole", () => {
    const action = actionFor(cohortInfo, {});
    expect(encodeActionPath(action)).toBe("/cohort info");
    expect(roundTrip(action)).toEqual({ command: "cohort info", args: {} });
  });

  it("given arguments with spaces, new lines, percent signs and quotes, each stays one argument, unchanged", () => {
    const action = actionFor(cohortCreate, {
      name: `my "50%" cohort`,
      start: "2026-03-02",
      tz: "Europe/Berlin",
    });
    const path = encodeActionPath(action) ?? "";
    expect(path).toBe(`/cohort create my%20"50%25"%20cohort 2026-03-02 Europe/Berlin`);
    expect(roundTrip(action)).toEqual(action);
    const query = actionFor(submit, { id: "x", query: "SELECT a\n\tFROM t;" });
    expect(roundTrip(query)?.args.query).toBe("SELECT a\n\tFROM t;");
  });

  it("given arguments in any order, writes them in the order the command declares, and refuses a gap", () => {
    expect(actionFor(answer, { choice: "b", question: "q" }).args).toEqual({ question: "q", choice: "b" });
    expect(Object.keys(actionFor(answer, { choice: "b", question: "q" }).args)).toEqual([
      "question",
      "choice",
    ]);
    expect(tryActionFor(cohortCreate, { name: "spring", tz: "UTC" })).toBeUndefined();
    expect(() => actionFor(cohortCreate, { name: "spring", tz: "UTC" })).toThrow(RangeError);
  });

  it("given an empty argument, cannot write it", () => {
    expect(encodeActionPath({ command: "answer", args: { question: "", choice: "b" } })).toBeUndefined();
    expect(encodeActionPath({ command: "", args: {} })).toBeUndefined();
  });

  it("given paths it did not write, reads none of them", () => {
    const tampered = [
      "",
      "answer w01-left b",
      "/frobnicate now",
      "/Answer w01-left b",
      "/answer  w01-left b",
      "/answer w01-left b ",
      "/answer w01-left b extra",
      "/answer w01%2Dleft b",
      "/answer w01-left %",
      "/answer w01-left %E0%A4%A",
      "/answer w01-left\tb",
      "/cohort%20info",
      "/review w01-left %ED%A0%80",
      "/a",
      "/",
      "//answer w01-left b",
    ];
    for (const path of tampered) expect(decodeActionPath(path, commands), path).toBeUndefined();
  });

  it("given quotes, reads them as part of the argument: nothing here is a typed line's syntax", () => {
    expect(decodeActionPath('/answer "w01-left" b', commands)?.args).toEqual({
      question: '"w01-left"',
      choice: "b",
    });
  });

  it("given fewer arguments than the command takes, reads those it has; the command's schema judges them", () => {
    expect(decodeActionPath("/submit store-orders", commands)).toEqual({
      command: "submit",
      args: { id: "store-orders" },
    });
    expect(decodeActionPath("/answer x".padEnd(500, "x"), commands)?.args.question).toHaveLength(492);
  });
});
