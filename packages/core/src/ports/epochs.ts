import type { ScoreSubmission } from "../scoring/score.js";
import type { EpochTally } from "../epochs/tally.js";

export interface ClosedEpoch {
  epoch: number;
  startsAt: string;
  endsAt: string;
  closedAt: string;
}

/** Epoch bookkeeping (DynamoDB). */
export interface EpochStore {
  /** The highest epoch number closed so far, or null before the first close. */
  lastClosed(): Promise<number | null>;
  /**
   * Records `epoch` as closed and moves the last-closed pointer from `previous` to it, atomically.
   * Returns false if another run got there first (the pointer had moved).
   */
  close(epoch: ClosedEpoch, previous: number | null): Promise<boolean>;
  /** Stores an epoch's tally once; returns false if it was already stored. */
  saveTally(tally: EpochTally): Promise<boolean>;
  getTally(epoch: number): Promise<EpochTally | null>;
}

/** Validators' score submissions (DynamoDB). One submission per (epoch, validator, miner); the latest wins. */
export interface ScoreStore {
  save(submission: ScoreSubmission): Promise<void>;
  listForEpoch(epoch: number): Promise<ScoreSubmission[]>;
}

/** The settlement FIFO queue: one message per closed epoch, deduplicated by epoch. */
export interface SettlementQueue {
  enqueue(message: { epoch: number }): Promise<void>;
}
