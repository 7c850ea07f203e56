import type { JobMessage, JobQueue, SettlementQueue } from "../../src/index.js";

/** Keeps what was enqueued. `rejectWith(error)` makes every later enqueue fail (a queue outage). */
export class RecordingJobQueue implements JobQueue {
  readonly sent: JobMessage[] = [];
  #failure: Error | null = null;

  async enqueue(message: JobMessage): Promise<void> {
    if (this.#failure) throw this.#failure;
    this.sent.push({ ...message });
  }

  rejectWith(error: Error | null): void {
    this.#failure = error;
  }

  /** Removes and returns everything sent so far, as a consumer would receive it. */
  take(): JobMessage[] {
    return this.sent.splice(0);
  }
}

/**
 * Keeps what was enqueued, dropping an epoch already sent, like the FIFO queue's
 * deduplication on `epoch-N` (which SQS applies within five minutes; this fake, forever).
 */
export class RecordingSettlementQueue implements SettlementQueue {
  readonly sent: Array<{ epoch: number }> = [];
  readonly #seen = new Set<number>();
  #failure: Error | null = null;

  async enqueue(message: { epoch: number }): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#seen.has(message.epoch)) return;
    this.#seen.add(message.epoch);
    this.sent.push({ ...message });
  }

  rejectWith(error: Error | null): void {
    this.#failure = error;
  }

  take(): Array<{ epoch: number }> {
    return this.sent.splice(0);
  }
}
