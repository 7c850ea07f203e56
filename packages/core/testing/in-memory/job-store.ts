import { DomainError, isTerminal, type Job, type JobOutcome, type JobStore } from "../../src/index.js";

/**
 * JobStore in a Map, with DynamoJobStore's conditional transitions: `create` refuses a taken id,
 * `startAttempt` and `complete` only act on a queued or running job. Jobs are copied in and out,
 * so a caller mutating a returned job changes nothing stored (as with a real table).
 */
export class InMemoryJobStore implements JobStore {
  readonly #jobs = new Map<string, Job>();

  async create(job: Job): Promise<void> {
    if (this.#jobs.has(job.id)) throw new DomainError("conflict", `Job ${job.id} already exists.`);
    this.#jobs.set(job.id, structuredClone(job));
  }

  async get(jobId: string): Promise<Job | null> {
    const job = this.#jobs.get(jobId);
    return job ? structuredClone(job) : null;
  }

  async startAttempt(jobId: string, at: Date): Promise<Job | null> {
    const job = this.#jobs.get(jobId);
    if (!job || isTerminal(job)) return null;
    const next: Job = { ...job, status: "running", attempts: job.attempts + 1, updatedAt: at.toISOString() };
    this.#jobs.set(jobId, next);
    return structuredClone(next);
  }

  async complete(jobId: string, outcome: JobOutcome, at: Date): Promise<Job | null> {
    const job = this.#jobs.get(jobId);
    if (!job || isTerminal(job)) return null;
    const iso = at.toISOString();
    const detail = outcome.status === "succeeded" ? { result: outcome.result ?? null } : { error: outcome.error };
    const next: Job = { ...job, status: outcome.status, ...structuredClone(detail), updatedAt: iso, completedAt: iso };
    this.#jobs.set(jobId, next);
    return structuredClone(next);
  }
}
