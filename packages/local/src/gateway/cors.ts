import type { IncomingMessage, ServerResponse } from "node:http";

/** A CORS configuration as API Gateway HTTP APIs and Lambda Function URLs take it. */
export interface CorsConfig {
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

/**
 * What API Gateway does with a CORS configuration: it answers preflight requests itself (the
 * handler never sees them) and adds the allow-origin and expose headers to every answer for a
 * request that carries an allowed `Origin`. Returns true when the request was a preflight and has
 * been answered.
 */
export function applyCors(cors: CorsConfig | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (!cors) return false;
  const origin = req.headers.origin;
  const allowed = origin !== undefined && (cors.allowOrigins.includes("*") || cors.allowOrigins.includes(origin));
  const allowOrigin = cors.allowOrigins.includes("*") ? "*" : (origin ?? "");
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
    const headers: Record<string, string> = {};
    if (allowed) {
      headers["access-control-allow-origin"] = allowOrigin;
      headers["access-control-allow-methods"] = cors.allowMethods.join(",");
      headers["access-control-allow-headers"] = cors.allowHeaders.join(",");
      if (cors.maxAgeSeconds !== undefined) headers["access-control-max-age"] = String(cors.maxAgeSeconds);
    }
    res.writeHead(204, headers).end();
    return true;
  }
  if (allowed) {
    res.setHeader("access-control-allow-origin", allowOrigin);
    if (cors.exposeHeaders?.length) res.setHeader("access-control-expose-headers", cors.exposeHeaders.join(","));
  }
  return false;
}
