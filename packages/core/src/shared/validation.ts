import type { z } from "zod";
import { DomainError } from "./errors.js";

/**
 * Parses untrusted input with a zod schema and turns the first issue into an
 * `invalid_request` DomainError naming the offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.join(".") : null;
  const where = param ? `'${param}': ` : "";
  throw new DomainError("invalid_request", `${where}${issue?.message ?? "invalid input"}`, param);
}
