import { validateHeaderName, validateHeaderValue } from "node:http";
import { isRecord } from "./util.js";

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** A handler result API Gateway could not map; it answers 500 for these. */
export class MalformedResultError extends Error {}

/**
 * Maps a Lambda result the way HTTP APIs do for payload format 2.0: an object with `statusCode`
 * is a structured response; anything else is valid JSON without a status code, which API Gateway
 * sends as a 200 application/json body (a string as-is, other values JSON-encoded).
 */
export function toHttpResponse(result: unknown): HttpResponse {
  if (isRecord(result) && "statusCode" in result) return structured(result);
  // Lambda serializes a handler's `undefined` as null.
  const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body: Buffer.from(body) };
}

function structured(result: Record<string, unknown>): HttpResponse {
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded } = result;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new MalformedResultError(`statusCode must be an integer from 100 to 599, got ${JSON.stringify(statusCode)}`);
  }
  if (body !== undefined && body !== null && typeof body !== "string") {
    throw new MalformedResultError("body must be a string");
  }
  if (!Array.isArray(cookies) || !cookies.every((c): c is string => typeof c === "string")) {
    throw new MalformedResultError("cookies must be an array of strings");
  }
  for (const cookie of cookies) validHeader("set-cookie", cookie);
  return {
    statusCode,
    headers: headerValues(headers),
    cookies,
    body: Buffer.from(body ?? "", isBase64Encoded === true ? "base64" : "utf8"),
  };
}

/** Header values may be strings, numbers or booleans; names and values must be valid HTTP. */
function headerValues(headers: unknown): Record<string, string> {
  if (!isRecord(headers)) throw new MalformedResultError("headers must be an object");
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new MalformedResultError(`header '${name}' must be a string, number or boolean`);
    }
    out[name.toLowerCase()] = validHeader(name, String(value));
  }
  return out;
}

function validHeader(name: string, value: string): string {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return value;
  } catch (error) {
    throw new MalformedResultError(`invalid header '${name}': ${(error as Error).message}`);
  }
}
