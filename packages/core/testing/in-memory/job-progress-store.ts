import type { JobProgress, JobProgressStore, JobStore } from "../../src/index.js";

/** JobProgressStore beside a JobStore: like the DynamoDB adapter, progress of an unknown job is refused. */
export class InMemoryJobProgressStore implements JobProgressStore {
  readonly #progress = new Map<string, JobProgress>();
  constructor(private readonly jobs: JobStore) {}

  async record(jobId: string, progress: JobProgress): Promise<boolean> {
    if (!(await this.jobs.get(jobId))) return false;
    this.#progress.set(jobId, structuredClone(progress));
    return true;
  }

  async get(jobId: string): Promise<JobProgress | null> {
    const progress = this.#progress.get(jobId);
    return progress ? structuredClone(progress) : null;
  }
}
