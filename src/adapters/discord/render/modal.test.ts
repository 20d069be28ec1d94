import {
  type APIModalSubmissionComponent,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { actionOf } from "../../../../test/actions.js";
import { commands } from "../../../core/commands/registry.js";
import { parseCustomId } from "./custom-id.js";
import { modalFor, modalTextId, readModalText } from "./modal.js";

describe("Discord forms", () => {
  it("given a multiline request, builds a form with one required paragraph input that completes the action", () => {
    const modal = modalFor({
      action: actionOf("/submit sql-customer-order-counts"),
      title: "Orders per customer",
      label: "Your SQL",
      placeholder: "SELECT …",
      multiline: true,
    });
    expect(modal).toEqual({
      custom_id: "ask:/submit sql-customer-order-counts",
      title: "Orders per customer",
      components: [
        {
          type: ComponentType.Label,
          label: "Your SQL",
          component: {
            type: ComponentType.TextInput,
            custom_id: modalTextId,
            style: TextInputStyle.Paragraph,
            max_length: 4000,
            required: true,
            placeholder: "SELECT …",
          },
        },
      ],
    });
    expect(parseCustomId(modal.custom_id, commands)).toEqual({
      mode: "ask",
      action: { command: "submit", args: { id: "sql-customer-order-counts" } },
    });
  });

  it("given a one-line request, uses a short input and no placeholder when none is given", () => {
    const modal = modalFor({
      action: actionOf("/answer w3-q9"),
      title: "Answer",
      label: "Your answer",
      multiline: false,
    });
    const label = modal.components[0];
    expect(label?.type === ComponentType.Label && label.component).toEqual({
      type: ComponentType.TextInput,
      custom_id: modalTextId,
      style: TextInputStyle.Short,
      max_length: 4000,
      required: true,
    });
  });

  it("given a long title and label, clips both to 45 characters", () => {
    const modal = modalFor({
      action: actionOf("/quiz"),
      title: "T".repeat(60),
      label: "L".repeat(60),
      multiline: true,
    });
    expect(modal.title).toHaveLength(45);
    const label = modal.components[0];
    expect(label?.type === ComponentType.Label && label.label.length).toBe(45);
  });

  it("given an action too long for a custom_id, refuses with a clear error", () => {
    expect(() =>
      modalFor({ action: actionOf(`/submit ${"x".repeat(100)}`), title: "T", label: "L", multiline: true }),
    ).toThrow(/too long for a custom_id/);
  });

  it("given a submitted form, reads the typed text from a label or from an older action row", () => {
    const fromLabel: APIModalSubmissionComponent[] = [
      {
        type: ComponentType.Label,
        id: 1,
        component: {
          type: ComponentType.TextInput,
          id: 2,
          custom_id: modalTextId,
          value: "SELECT 1;\nSELECT 2;",
        },
      },
    ];
    const fromRow: APIModalSubmissionComponent[] = [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, id: 1, custom_id: modalTextId, value: "GET k" }],
      },
    ];
    expect(readModalText(fromLabel)).toBe("SELECT 1;\nSELECT 2;");
    expect(readModalText(fromRow)).toBe("GET k");
    expect(readModalText([])).toBe("");
  });

  it("given discord.js's own view of a submitted form, reads it too", () => {
    const read = (interaction: ModalSubmitInteraction) => readModalText(interaction.fields.components);
    const fake = {
      fields: {
        components: [
          {
            type: ComponentType.Label,
            id: 1,
            component: { type: ComponentType.TextInput, id: 2, customId: modalTextId, value: "db.x.find()" },
          },
        ],
      },
    } as unknown as ModalSubmitInteraction;
    expect(read(fake)).toBe("db.x.find()");
  });
});
