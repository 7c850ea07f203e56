import { authenticateApiKey, bearerToken } from "@tensornode/core";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../deps.js";

/** Requires `Authorization: Bearer <api key>` and exposes the caller's account as `ownerId`. */
export const requireApiKey = createMiddleware<ApiEnv>(async (c, next) => {
  const principal = await authenticateApiKey(c.var.deps, bearerToken(c.req.header("authorization")));
  c.set("ownerId", principal.ownerId);
  await next();
});
