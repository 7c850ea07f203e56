import type { Context } from "hono";
import type { z } from "zod";
import { parseInput } from "@tensornode/core";
import { HttpError } from "./errors.js";

/**
 * Reads a JSON request body as @tensornode/api does: JSON content type (415 otherwise), non-empty,
 * parseable (400 otherwise), then validated by the zod schema (400 naming the field). The size
 * limit (413) is enforced before, by the `bodyLimit` middleware.
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, `Unsupported content type '${contentType || "(none)"}'; send 'Content-Type: application/json'.`, "unsupported_media_type");
  }
  const text = await c.req.text();
  if (text.trim() === "") throw new HttpError(400, "The request body is empty; send a JSON object.", "invalid_json");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, "The request body is not valid JSON.", "invalid_json");
  }
  return parseInput(schema, json);
}
