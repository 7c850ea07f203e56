import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { LambdaFunctionURLEvent } from "aws-lambda";

/**
 * The two halves of serving a fetch-style app (Hono) through Lambda response streaming:
 * a Function URL event (payload format 2.0) as a `Request`, and a `Response` written to the
 * runtime's response stream. `hono/aws-lambda` has `streamHandle` but does not export its event
 * processors, and the HTTP entry point must also wait for work that outlives the body (see
 * http-stream.ts), so these few lines live here.
 */

/** The request a Function URL received. Cookies arrive in their own array, bodies maybe base64. */
export function requestOf(event: LambdaFunctionURLEvent): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  const { method } = event.requestContext.http;
  const url = `https://${event.requestContext.domainName}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ""}`;
  const body = event.body === undefined || method === "GET" || method === "HEAD" ? undefined : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
  return new Request(url, { method, headers, ...(body && { body }) });
}

/**
 * Commits status, headers and cookies (`HttpResponseStream.from`), then pipes the body chunk by
 * chunk as the app produces it. Resolves when the body has ended; rejects if it failed midway
 * (the runtime then cuts the client's connection).
 */
export async function writeResponse(response: Response, responseStream: Writable): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: response.status, headers, cookies: response.headers.getSetCookie() });
  if (!response.body) {
    // The prelude is sent on the first write: an empty body still needs one.
    stream.write("");
    stream.end();
    return;
  }
  await pipeline(response.body, stream);
}
