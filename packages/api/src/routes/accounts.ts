import { createApiKey, getAccount, listApiKeys, openAccount, publicAccount, publicApiKey, publicUsage, revokeApiKey } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiDeps, ApiEnv } from "../deps.js";
import { requireAccountOwner } from "../middleware/auth.js";
import { readOptionalJsonBody } from "../middleware/json-body.js";
import { requireSignedRequest } from "../middleware/signature.js";
import { parseListQuery } from "./list-query.js";

async function depositInstructions(deps: ApiDeps) {
  const treasuryAccountId = await deps.treasuryAccountId();
  return treasuryAccountId ? { treasuryAccountId } : undefined;
}

/** `POST /v1/accounts`: signed with the Hedera key of the account being opened. */
export const accounts = new Hono<ApiEnv>().post("/", requireSignedRequest, async (c) => {
  const { deps } = c.var;
  const { account, secret, key } = await openAccount(deps, c.var.signer, await readOptionalJsonBody(c));
  return c.json({ ...publicAccount(account, await depositInstructions(c.var.deps)), api_key: publicApiKey(key, secret) }, 201);
});

/** `GET /v1/account`: the caller's balance and how to top it up. */
export const account = new Hono<ApiEnv>().get("/", requireAccountOwner, async (c) => {
  const { deps } = c.var;
  const record = await getAccount(deps, c.var.ownerId);
  return c.json(publicAccount(record, await depositInstructions(deps)));
});

/** API keys: create (the secret is in this one response only), list, revoke. */
export const apiKeys = new Hono<ApiEnv>()
  .use(requireAccountOwner)
  .post("/", async (c) => {
    const { deps } = c.var;
    await getAccount(deps, c.var.ownerId);
    const { secret, record } = await createApiKey(deps, c.var.ownerId, await readOptionalJsonBody(c));
    return c.json(publicApiKey(record, secret), 201);
  })
  .get("/", async (c) => c.json({ object: "list", data: (await listApiKeys(c.var.deps, c.var.ownerId)).map((key) => publicApiKey(key)) }))
  .delete("/:id", async (c) => {
    const { deps } = c.var;
    const revoked = await revokeApiKey(deps, c.var.ownerId, c.req.param("id"));
    deps.auth.forget(revoked.keyHash);
    return c.json(publicApiKey(revoked));
  });

/** `GET /v1/usage`: the account's metered requests, newest first. */
export const usage = new Hono<ApiEnv>().get("/", requireAccountOwner, async (c) => {
  const { limit, before } = parseListQuery(c.req.query());
  const records = await c.var.deps.usage.listByOwner(c.var.ownerId, { limit: limit + 1, ...(before && { before }) });
  const page = records.slice(0, limit);
  return c.json({ object: "list", data: page.map(publicUsage), has_more: records.length > limit, last_id: page.at(-1)?.id ?? null });
});

