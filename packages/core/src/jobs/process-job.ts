import { isDomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { Clock } from "../ports/clock.js";
import type { ConnectionPush, ConnectionStore } from "../ports/connections.js";
import type { JobExecutor, JobOutcome, JobStore } from "../ports/jobs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import { jobMessageSchema, type Job } from "./job.js";
import { notifyJobSubscribers } from "./notify-subscribers.js";

export interface ProcessJobDeps {
  jobs: JobStore;
  executors: ReadonlyMap<string, JobExecutor>;
  connections: ConnectionStore;
  push: ConnectionPush;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** After this many started attempts a transient failure fails the job instead of retrying. */
  maxAttempts: number;
}

/** Thrown for a message that can never be processed; the queue redrives it to the DLQ. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoisonMessageError";
  }
}

/**
 * Handles one message from the inference queue. Safe to run more than once for the same job:
 * a terminal job is skipped, and the outcome is written with a condition so only one delivery wins.
 * Throws (so the queue retries) only for transient failures under the attempt limit and for poison.
 */
export async function processJobMessage(deps: ProcessJobDeps, rawBody: string): Promise<Job | null> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new PoisonMessageError("message body is not JSON");
  }
  const { jobId } = parseMessage(body);
  const job = await deps.jobs.startAttempt(jobId, deps.clock.now());
  if (!job) {
    const existing = await deps.jobs.get(jobId);
    if (!existing) throw new PoisonMessageError(`job ${jobId} does not exist`);
    deps.logger.info("job already finished; duplicate delivery skipped", { jobId });
    return null;
  }

  const executor = deps.executors.get(job.kind);
  const started = Date.now();
  let outcome: JobOutcome;
  try {
    if (!executor) throw new PoisonMessageError(`no executor for kind '${job.kind}'`);
    const result = await executor.execute(job.input, { jobId: job.id, attempt: job.attempts, ownerId: job.ownerId, ...(job.billing && { billing: job.billing }) });
    outcome = { status: "succeeded", result };
  } catch (error) {
    if (isDomainError(error)) {
      outcome = { status: "failed", error: { code: error.code, message: error.message } };
    } else if (job.attempts < deps.maxAttempts && !(error instanceof PoisonMessageError)) {
      deps.logger.warn("job attempt failed; will retry", { jobId, attempt: job.attempts, error: String(error) });
      deps.metrics.count("JobAttemptFailed");
      throw error;
    } else {
      deps.logger.error("job failed permanently", { jobId, attempt: job.attempts, error: String(error) });
      outcome = { status: "failed", error: { code: "execution_failed", message: "The job could not be executed." } };
    }
  }
  deps.metrics.milliseconds("JobExecutionTime", Date.now() - started);

  const finished = await deps.jobs.complete(job.id, outcome, deps.clock.now());
  if (!finished) return null; // another delivery finished first; it notifies.
  deps.metrics.count(finished.status === "succeeded" ? "JobSucceeded" : "JobFailed");
  deps.logger.info("job finished", { jobId, status: finished.status, attempts: finished.attempts });
  await notifyJobSubscribers(deps, finished);
  return finished;
}

function parseMessage(body: unknown) {
  try {
    return parseInput(jobMessageSchema, body);
  } catch (error) {
    throw new PoisonMessageError(`malformed job message: ${(error as Error).message}`);
  }
}
