import { describe, expect, it } from "vitest";
import { parseLine } from "../../../core/commands/parse.js";
import { commands } from "../../../core/commands/registry.js";
import { commandLine } from "./interaction.js";

const submit = commands.find((c) => c.name === "submit");
const cohortCreate = commands.find((c) => c.name === "cohort create");

describe("the text line a form completes", () => {
  it("given a command and the options filled in, the core's parser reads the same arguments back", () => {
    if (!cohortCreate) throw new Error("no /cohort create");
    const line = commandLine(cohortCreate, { name: "spring", start: "2026-03-02", tz: "Europe/Berlin" });
    const parsed = parseLine(line ?? "", commands);
    expect(parsed).toMatchObject({
      kind: "command",
      args: { name: "spring", start: "2026-03-02", tz: "Europe/Berlin" },
    });
  });

  it("given an option left out before a filled one, there is no line, since a line cannot skip a place", () => {
    if (!cohortCreate) throw new Error("no /cohort create");
    expect(commandLine(cohortCreate, { name: "spring", tz: "Europe/Berlin" })).toBeUndefined();
  });

  it("given an argument with spaces, it stays one argument", () => {
    if (!cohortCreate) throw new Error("no /cohort create");
    const parsed = parseLine(
      commandLine(cohortCreate, { name: "my cohort", start: "2026-03-02" }) ?? "",
      commands,
    );
    expect(parsed).toMatchObject({ kind: "command", args: { name: "my cohort", start: "2026-03-02" } });
  });

  it("given the id of /submit, the typed query appended after it arrives whole, new lines included", () => {
    if (!submit) throw new Error("no /submit");
    const query = "SELECT name\nFROM products\nWHERE note = 'two words';";
    const parsed = parseLine(
      `${commandLine(submit, { id: "store-customer-order-counts" }) ?? ""} ${query}`,
      commands,
    );
    expect(parsed).toMatchObject({
      kind: "command",
      args: { id: "store-customer-order-counts", query },
    });
  });
});
