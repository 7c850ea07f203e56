import { DomainError } from "@tensornode/core";
import type { Context } from "hono";
import type { ApiEnv } from "../deps.js";
import { readBodyBytes } from "./raw-body.js";

/**
 * Reads a JSON request body strictly: the content type must be JSON (415 otherwise, handled by
 * the caller's error mapping as a 400-class error) and the text must parse. The body-size limit
 * has already been enforced by the `bodyLimit` middleware.
 */
export async function readJsonBody(c: Context<ApiEnv>): Promise<unknown> {
  assertJsonContentType(c);
  return parseJsonText(await c.req.text());
}

/**
 * The same for the inference hot path, which also needs the exact bytes to forward: read with
 * `readBodyBytes` (straight from Node's request when it can).
 */
export async function readJsonBytes(c: Context<ApiEnv>): Promise<{ bytes: Uint8Array; value: unknown }> {
  assertJsonContentType(c);
  const bytes = await readBodyBytes(c);
  return { bytes, value: parseJsonText(new TextDecoder().decode(bytes)) };
}

function assertJsonContentType(c: Context<ApiEnv>): void {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType);
}

function parseJsonText(text: string): unknown {
  if (text.trim() === "") throw new DomainError("invalid_request", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid_request", "The request body is not valid JSON.");
  }
}

export class UnsupportedMediaTypeError extends Error {
  constructor(contentType: string, expected = "application/json") {
    super(`Unsupported content type '${contentType || "(none)"}'; send 'Content-Type: ${expected}'.`);
    this.name = "UnsupportedMediaTypeError";
  }
}

/** Like `readJsonBody`, but an empty body (no content type, nothing sent) is `undefined`. */
export async function readOptionalJsonBody(c: Context<ApiEnv>): Promise<unknown> {
  if (!c.req.header("content-type") && (await c.req.text()).trim() === "") return undefined;
  return readJsonBody(c);
}
