import { z } from "zod";
import type { AnyCommand } from "./command.js";

/** Marks a string argument that takes the rest of the line, spaces included (e.g. a query). */
export const restOfLine = z.registry<{ rest: true }>();

/** Where an argument's values come from, so platforms can offer them as the person types. */
export type SuggestionSource = "week" | "track" | "cohort" | "challenge" | "timezone";

export interface ArgHints {
  /** Values to offer while typing (Discord autocomplete, terminal completion). */
  suggest?: SuggestionSource;
  /** The value names a person or a channel of the space, so platforms can offer their own pickers. */
  refers?: "user" | "channel";
  /** Text that may run over several lines (a query); platforms ask for it in a multi-line field. */
  multiline?: true;
}

/** Platform-neutral facts about an argument, beyond its type. */
export const argHints = z.registry<ArgHints>();

export interface ArgSpec {
  name: string;
  description: string;
  required: boolean;
  type: "string" | "integer";
  choices?: readonly string[];
  rest: boolean;
  suggest?: SuggestionSource;
  refers?: "user" | "channel";
  multiline: boolean;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

const specCache = new WeakMap<z.ZodObject, ArgSpec[]>();

/** Reads a command's arguments off its zod schema, so the schema stays the one definition. */
export function argSpecs(command: AnyCommand): ArgSpec[] {
  const cached = specCache.get(command.input);
  if (cached) return cached;
  const specs = Object.entries(command.input.shape as Record<string, z.ZodType>).map(
    ([name, field]): ArgSpec => {
      const inner = unwrap(field);
      const hints = argHints.get(field) ?? argHints.get(inner) ?? {};
      const spec: ArgSpec = {
        name,
        description: field.description ?? inner.description ?? name,
        required: !field.safeParse(undefined).success,
        type: inner instanceof z.ZodNumber ? "integer" : "string",
        rest: restOfLine.has(field) || restOfLine.has(inner),
        multiline: hints.multiline === true,
      };
      if (inner instanceof z.ZodEnum) spec.choices = inner.options.map(String);
      if (hints.suggest) spec.suggest = hints.suggest;
      if (hints.refers) spec.refers = hints.refers;
      return spec;
    },
  );
  specCache.set(command.input, specs);
  return specs;
}

/** "/cohort create <name> [start] [tz]" */
export function usage(command: AnyCommand): string {
  const args = argSpecs(command).map((arg) => (arg.required ? `<${arg.name}>` : `[${arg.name}]`));
  return ["/" + command.name, ...args].join(" ");
}
