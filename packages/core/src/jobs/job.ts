import { z } from "zod";

/** Lifecycle of a queued job. `succeeded` and `failed` are terminal: nothing moves a job out of them. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed"]);

export interface JobError {
  code: string;
  message: string;
}

/** The key a job was submitted with, so the worker can charge it like a synchronous request. */
export interface JobBilling {
  keyId: string;
  keyHash: string;
}

export interface Job {
  id: string;
  /** The account that submitted the job; only it may read or subscribe to the job. */
  ownerId: string;
  kind: string;
  input: unknown;
  status: JobStatus;
  result?: unknown;
  error?: JobError;
  /** How many times a worker has started this job (SQS may deliver a message more than once). */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  billing?: JobBilling;
}

/** What a client sends to `POST /v1/jobs`. `input` is validated by the executor for `kind`. */
export const jobRequestSchema = z.strictObject({
  kind: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, "must be a lower-case job kind such as 'canary'"),
  input: z.unknown().optional(),
});
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** The body of a message on the inference queue: a pointer, never the payload (SQS caps bodies at 256 KiB). */
export const jobMessageSchema = z.strictObject({ jobId: z.string().min(1).max(128) });
export type JobMessage = z.infer<typeof jobMessageSchema>;

export const isTerminal = (job: Pick<Job, "status">): boolean => TERMINAL_STATUSES.has(job.status);

/** The view of a job that leaves the system (HTTP responses, WebSocket pushes). */
export function publicJob(job: Job) {
  return {
    id: job.id,
    object: "job" as const,
    kind: job.kind,
    status: job.status,
    result: job.result ?? null,
    error: job.error ?? null,
    attempts: job.attempts,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    completed_at: job.completedAt ?? null,
  };
}
export type PublicJob = ReturnType<typeof publicJob>;
