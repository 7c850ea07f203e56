import { DomainError } from "../shared/errors.js";
import type { JobStore } from "../ports/jobs.js";
import type { Job } from "./job.js";

/** Returns a job to its owner. Another account's job is reported as not found, so ids leak nothing. */
export async function getJob(deps: { jobs: JobStore }, ownerId: string, jobId: string): Promise<Job> {
  const job = jobId.length <= 128 ? await deps.jobs.get(jobId) : null;
  if (!job || job.ownerId !== ownerId) throw new DomainError("not_found", `No job with id '${jobId}'.`, "id");
  return job;
}
