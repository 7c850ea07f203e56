import { DomainError, getMinerHostJob, publicHostingJob, requestMinerHost } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";
import { readJsonBody } from "../middleware/json-body.js";
import { requireSignedRequest } from "../middleware/signature.js";

/**
 * Network-hosted miners, signed by the miner's Hedera key like every miner call:
 * `POST /v1/miners/hosts` queues a `miner.provision` job (202; a VM takes minutes), and
 * `GET /v1/miners/hosts/jobs/:id` reads it with its progress (queued → provisioning → reachable →
 * registered). The job belongs to the miner's account, which has no API key, so it is read here
 * rather than through `GET /v1/jobs/:id`; the teardown job that `DELETE /v1/miners/me` queues for a
 * hosted miner is read here too.
 */
export const minerHosts = new Hono<ApiEnv>()
  .use(requireSignedRequest)
  .post("/", async (c) => {
    const job = await requestMinerHost(c.var.deps, c.var.signer, await readJsonBody(c));
    return c.json(publicHostingJob(job, null), 202, { location: `/v1/miners/hosts/jobs/${job.id}` });
  })
  .get("/jobs/:id", async (c) => {
    const progress = c.var.deps.progress;
    if (!progress) throw new DomainError("unavailable", "Miner hosting is not configured on this deployment.");
    return c.json(await getMinerHostJob({ jobs: c.var.deps.jobs, progress }, c.var.signer, c.req.param("id")));
  });
