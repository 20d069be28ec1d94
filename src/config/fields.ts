import { z } from "zod";

/** The parsed values of one area's variables. */
export type Parsed<S extends Record<string, z.ZodType>> = z.output<z.ZodObject<S>>;

// An empty variable counts as unset, as in most .env tooling.
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const token = (what: string) => z.string().trim().min(10, `must be ${what}`);

/** A problem with one variable, or with how several go together. */
export interface ConfigError {
  variable: string;
  message: string;
}
