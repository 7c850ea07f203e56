import { z } from "zod";

/**
 * The JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) of a request schema, as a client sends
 * it (`io: "input"`: defaults are optional). Done here, with the same zod instance that defines
 * the schemas, so descriptions registered with `.describe()` are found.
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}
