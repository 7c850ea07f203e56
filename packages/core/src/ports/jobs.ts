import type { Job, JobBilling, JobError, JobMessage } from "../jobs/job.js";

export type JobOutcome = { status: "succeeded"; result: unknown } | { status: "failed"; error: JobError };

/** Durable job state (DynamoDB in AWS and locally). */
export interface JobStore {
  /** Stores a new job; throws DomainError("conflict") if the id is taken. */
  create(job: Job): Promise<void>;
  get(jobId: string): Promise<Job | null>;
  /**
   * Moves a non-terminal job to `running` and counts the attempt.
   * Returns the updated job, or null when the job is missing or already terminal.
   */
  startAttempt(jobId: string, at: Date): Promise<Job | null>;
  /** Records the outcome once; returns the terminal job, or null if it was already terminal or missing. */
  complete(jobId: string, outcome: JobOutcome, at: Date): Promise<Job | null>;
}

/** What an executor knows about the job it runs besides its input. */
export interface JobContext {
  jobId: string;
  attempt: number;
  ownerId: string;
  /** The API key the job was submitted with (inference jobs charge its account). */
  billing?: JobBilling;
}

/** The inference work queue (SQS). */
export interface JobQueue {
  enqueue(message: JobMessage): Promise<void>;
}

/**
 * Executes one kind of job. Throw a DomainError for a permanent failure of this job
 * (bad input for the kind): the job fails without retries. Any other error is treated
 * as transient and retried by the queue until the attempt limit.
 */
export interface JobExecutor {
  readonly kind: string;
  /** Internal kinds are created by the core itself (e.g. `miner.provision`), never through `POST /v1/jobs`. */
  readonly internal?: boolean;
  execute(input: unknown, context: JobContext): Promise<unknown>;
}
