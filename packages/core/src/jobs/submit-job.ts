import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { Clock, IdGenerator } from "../ports/clock.js";
import type { JobExecutor, JobQueue, JobStore } from "../ports/jobs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import { jobRequestSchema, type Job, type JobBilling } from "./job.js";

export interface SubmitJobDeps {
  jobs: JobStore;
  queue: JobQueue;
  executors: ReadonlyMap<string, JobExecutor>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Accepts a job: validates it, stores it as `queued`, then puts a pointer on the queue.
 * The item is written first so a worker never receives a message for a job it cannot find.
 * If the queue refuses the message the job is marked failed, so nothing is left queued forever.
 */
export async function submitJob(deps: SubmitJobDeps, ownerId: string, body: unknown, billing?: JobBilling): Promise<Job> {
  const request = parseInput(jobRequestSchema, body);
  if (!deps.executors.has(request.kind) || deps.executors.get(request.kind)?.internal) {
    const known = [...deps.executors.values()].filter((e) => !e.internal).map((e) => e.kind).sort().join(", ");
    throw new DomainError("invalid_request", `Unknown job kind '${request.kind}'. Known kinds: ${known}.`, "kind");
  }
  const now = deps.clock.now().toISOString();
  const job: Job = {
    id: `job_${deps.ids.next()}`,
    ownerId,
    kind: request.kind,
    input: request.input ?? null,
    status: "queued",
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    ...(billing && { billing }),
  };
  await deps.jobs.create(job);
  await enqueueOrFail(deps, job);
  deps.metrics.count("JobSubmitted");
  deps.logger.info("job queued", { jobId: job.id, kind: job.kind });
  return job;
}

/**
 * Puts a stored job on the queue; if the queue refuses, marks the job failed (so nothing is left
 * `queued` forever) and answers 503.
 */
export async function enqueueOrFail(deps: { jobs: Pick<JobStore, "complete">; queue: JobQueue; clock: Clock; logger: Logger }, job: Job): Promise<void> {
  try {
    await deps.queue.enqueue({ jobId: job.id });
  } catch (error) {
    deps.logger.error("enqueue failed; marking job failed", { jobId: job.id, error: String(error) });
    await deps.jobs.complete(job.id, { status: "failed", error: { code: "enqueue_failed", message: "The job could not be queued." } }, deps.clock.now());
    throw new DomainError("unavailable", "The job queue is unavailable; try again shortly.");
  }
}
