import { z } from "zod";

export const cohortName = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u,
    "must be 1–40 letters, digits, - or _, starting with a letter or digit",
  );
