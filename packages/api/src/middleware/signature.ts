import { verifySignedRequest } from "@tensornode/core";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../deps.js";

/**
 * Requires a request signed with the caller's Hedera key (miners, validators): see
 * `@tensornode/core` `signed-request.ts` for the scheme. Exposes the verified account as `signer`.
 * The body is read as text once here; Hono caches it for the route.
 */
export const requireSignedRequest = createMiddleware<ApiEnv>(async (c, next) => {
  c.set("signer", await verifiedSigner(c));
  await next();
});

/** The Hedera account that signed this request; throws `unauthenticated` otherwise. */
export async function verifiedSigner(c: Context<ApiEnv>): Promise<string> {
  const url = new URL(c.req.url);
  return verifySignedRequest(c.var.deps, {
    method: c.req.method,
    path: `${url.pathname}${url.search}`,
    body: await c.req.text(),
    headers: (name) => c.req.header(name),
  });
}
