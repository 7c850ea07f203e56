import { deregisterMiner, minerHeartbeat, publicMiner, registerMiner } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";
import { readJsonBody } from "../middleware/json-body.js";
import { requireSignedRequest } from "../middleware/signature.js";

/**
 * Miner registration. Every state change is signed with the miner's Hedera key: the account that
 * signed is the miner, so nobody can register, heartbeat or deregister someone else.
 */
export const miners = new Hono<ApiEnv>()
  .get("/", async (c) => c.json({ object: "list", data: (await c.var.deps.miners.list()).map(publicMiner) }))
  .post("/", requireSignedRequest, async (c) => c.json(publicMiner(await registerMiner(c.var.deps, c.var.signer, await readJsonBody(c))), 201))
  .post("/heartbeat", requireSignedRequest, async (c) => c.json(publicMiner(await minerHeartbeat(c.var.deps, c.var.signer))))
  .delete("/me", requireSignedRequest, async (c) => {
    const { teardownJob } = await deregisterMiner(c.var.deps, c.var.signer);
    return c.json({ object: "miner", id: c.var.signer, deleted: true, ...(teardownJob ? { host_teardown_job: teardownJob.id } : {}) });
  });
