import { getJob, publicJob, submitJob } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";
import { readJsonBody } from "../middleware/json-body.js";
import { requireApiKey } from "../middleware/auth.js";

/** Asynchronous jobs: submit → 202 with the job; poll with GET or subscribe over WebSocket. */
export const jobs = new Hono<ApiEnv>()
  .use(requireApiKey)
  .post("/", async (c) => {
    const job = await submitJob(c.var.deps, c.var.ownerId, await readJsonBody(c));
    return c.json(publicJob(job), 202, { location: `/v1/jobs/${job.id}` });
  })
  .get("/:id", async (c) => {
    const job = await getJob(c.var.deps, c.var.ownerId, c.req.param("id"));
    return c.json(publicJob(job));
  });
