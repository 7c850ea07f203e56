import { SIGNATURE_HEADERS, bearerToken, verifySignedRequest } from "@tensornode/core";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../deps.js";

/** Requires `Authorization: Bearer <api key>`; exposes the key as `principal` and its account as `ownerId`. */
export const requireApiKey = createMiddleware<ApiEnv>(async (c, next) => {
  const principal = await c.var.deps.auth.authenticate(bearerToken(c.req.header("authorization")));
  c.set("principal", principal);
  c.set("ownerId", principal.ownerId);
  await next();
});

/**
 * Account management accepts either an API key of the account or a request signed with the
 * account's Hedera key (so an owner who lost every key can still make a new one).
 */
export const requireAccountOwner = createMiddleware<ApiEnv>(async (c, next) => {
  if (c.req.header(SIGNATURE_HEADERS.signature) !== undefined) {
    const url = new URL(c.req.url);
    const signer = await verifySignedRequest(c.var.deps, {
      method: c.req.method,
      path: `${url.pathname}${url.search}`,
      body: await c.req.text(),
      headers: (name) => c.req.header(name),
    });
    c.set("signer", signer);
    c.set("ownerId", signer);
  } else {
    const principal = await c.var.deps.auth.authenticate(bearerToken(c.req.header("authorization")));
    c.set("principal", principal);
    c.set("ownerId", principal.ownerId);
  }
  await next();
});
