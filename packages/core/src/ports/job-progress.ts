/**
 * Where a long-running job says how far it got, so a caller polling the job can show progress and
 * a retried attempt can resume (e.g. the host a provisioning attempt already created).
 */
export interface JobProgress {
  /** A short stage name, defined by the job kind (for `miner.provision`: provisioning, reachable, registered, failed). */
  stage: string;
  at: string;
  /** Stage details as strings (host id, endpoint, reason). */
  data?: Record<string, string>;
}

/** Progress of jobs, kept with the job (DynamoDB: an attribute of the job item). */
export interface JobProgressStore {
  /** Replaces the job's progress; false when the job does not exist. */
  record(jobId: string, progress: JobProgress): Promise<boolean>;
  get(jobId: string): Promise<JobProgress | null>;
}
