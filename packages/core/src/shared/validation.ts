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
  // An unknown key in a strict object is reported in `keys`, with the path of its parent.
  const path = issue ? [...issue.path, ...(issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [])] : [];
  const param = path.length > 0 ? path.join(".") : null;
  const where = param ? `'${param}': ` : "";
  throw new DomainError("invalid_request", `${where}${issue?.message ?? "invalid input"}`, param);
}
