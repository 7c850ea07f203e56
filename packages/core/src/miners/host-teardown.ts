import { createHash } from "node:crypto";
import { DomainError, isDomainError } from "../shared/errors.js";
import type { Clock } from "../ports/clock.js";
import type { JobQueue, JobStore } from "../ports/jobs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import type { Job } from "../jobs/job.js";
import type { MinerHostBinding } from "./miner.js";

export const MINER_TEARDOWN_KIND = "miner.teardown";

/**
 * Queues the teardown of a miner's host, once per host: the job id derives from the host, so a
 * second deregistration attempt finds the same job instead of destroying twice. If the queue
 * refuses, this throws and the caller must keep the binding (nothing is dropped).
 */
export async function scheduleHostTeardown(deps: { jobs: JobStore; queue: JobQueue; clock: Clock; logger: Logger; metrics: Metrics }, minerId: string, host: MinerHostBinding): Promise<Job> {
  const id = `job_teardown_${createHash("sha256").update(`${host.provider}:${host.hostId}`).digest("hex").slice(0, 32)}`;
  const job = newJob(deps.clock, id, minerId, MINER_TEARDOWN_KIND, { provider: host.provider, hostId: host.hostId });
  try {
    await deps.jobs.create(job);
  } catch (error) {
    if (!(isDomainError(error) && error.code === "conflict")) throw error;
    const existing = await deps.jobs.get(id);
    if (existing && existing.status !== "queued") return existing;
  }
  try {
    await deps.queue.enqueue({ jobId: id });
  } catch (error) {
    deps.logger.error("miner host teardown could not be queued; the miner stays registered", { minerId, ...host, error: String(error) });
    throw new DomainError("unavailable", "The host's teardown could not be queued; try deregistering again shortly.");
  }
  deps.logger.info("miner host teardown queued", { jobId: id, minerId, ...host });
  return (await deps.jobs.get(id)) ?? job;
}

export function newJob(clock: Clock, id: string, ownerId: string, kind: string, input: unknown): Job {
  const now = clock.now().toISOString();
  return { id, ownerId, kind, input, status: "queued", attempts: 0, createdAt: now, updatedAt: now };
}

