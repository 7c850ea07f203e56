import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { ApiEnv } from "../deps.js";

/**
 * The request body as bytes. On Node (`@hono/node-server` passes the `IncomingMessage` as
 * `c.env.incoming`), a body with a declared length is read straight from the socket stream:
 * going through `c.req.arrayBuffer()` there builds a full WHATWG Request, an AbortController and a
 * web stream per request, which was the largest single cost of the gateway's hot path. The body
 * limit has already checked the declared length. Everywhere else (Lambda; chunked bodies, which the
 * body limit wraps to count) the portable path is used.
 */
export async function readBodyBytes(c: Context<ApiEnv>): Promise<Uint8Array> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = incoming?.headers["content-length"];
  if (!incoming || declared === undefined || incoming.readableEnded || incoming.readableDidRead) return new Uint8Array(await c.req.arrayBuffer());
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    incoming.on("data", (part: Buffer) => parts.push(part));
    incoming.once("end", () => resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts)));
    incoming.once("error", reject);
  });
}
