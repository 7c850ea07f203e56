import { DomainError, admit, getJob, isOperationName, publicJob, submitJob } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";
import { readJsonBody } from "../middleware/json-body.js";
import { requireApiKey } from "../middleware/auth.js";

/**
 * A job is one DynamoDB item, which holds at most 400 KB; this leaves room for the result.
 * Larger inputs (long audio) go to the synchronous endpoints, which take up to `maxUploadBytes`.
 */
export const MAX_JOB_INPUT_BYTES = 256 * 1024;

/** Asynchronous jobs: submit → 202 with the job; poll with GET or subscribe over WebSocket. */
export const jobs = new Hono<ApiEnv>()
  .use(requireApiKey)
  .post("/", async (c) => {
    const { deps, principal } = c.var;
    const body = (await readJsonBody(c)) as { kind?: unknown } | null;
    if (Buffer.byteLength(await c.req.text(), "utf8") > MAX_JOB_INPUT_BYTES) {
      throw new DomainError("invalid_request", `Job inputs are limited to ${MAX_JOB_INPUT_BYTES} bytes; send larger files to the synchronous endpoint.`, "input");
    }
    const inferenceJob = typeof body?.kind === "string" && isOperationName(body.kind);
    // An inference job is checked like a request now, and charged like one when a worker runs it.
    if (inferenceJob) await admit(deps.inference, principal);
    const job = await submitJob(deps, c.var.ownerId, body, inferenceJob ? { keyId: principal.keyId, keyHash: principal.keyHash } : undefined);
    return c.json(publicJob(job), 202, { location: `/v1/jobs/${job.id}` });
  })
  .get("/:id", async (c) => {
    const job = await getJob(c.var.deps, c.var.ownerId, c.req.param("id"));
    return c.json(publicJob(job));
  });
