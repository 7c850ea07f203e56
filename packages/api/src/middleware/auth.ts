import { SIGNATURE_HEADERS, bearerToken } from "@tensornode/core";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../deps.js";
import { verifiedSigner } from "./signature.js";

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
    const signer = await verifiedSigner(c);
    c.set("signer", signer);
    c.set("ownerId", signer);
  } else {
    const principal = await c.var.deps.auth.authenticate(bearerToken(c.req.header("authorization")));
    c.set("principal", principal);
    c.set("ownerId", principal.ownerId);
  }
  await next();
});
