import type { ClosedEpoch, EpochStore, EpochTally } from "../../src/index.js";

/**
 * EpochStore in memory with DynamoEpochStore's transaction semantics: `close` succeeds only if
 * the epoch is not closed yet and the last-closed pointer is still `previous` (absent when
 * `previous` is null); epoch record and pointer change together. `saveTally` stores once.
 */
export class InMemoryEpochStore implements EpochStore {
  #pointer: number | null = null;
  readonly #closed = new Map<number, ClosedEpoch>();
  readonly #tallies = new Map<number, EpochTally>();

  async lastClosed(): Promise<number | null> {
    return this.#pointer;
  }

  async close(epoch: ClosedEpoch, previous: number | null): Promise<boolean> {
    if (this.#closed.has(epoch.epoch) || this.#pointer !== previous) return false;
    this.#closed.set(epoch.epoch, { ...epoch });
    this.#pointer = epoch.epoch;
    return true;
  }

  async saveTally(tally: EpochTally): Promise<boolean> {
    if (this.#tallies.has(tally.epoch)) return false;
    this.#tallies.set(tally.epoch, structuredClone(tally));
    return true;
  }

  async getTally(epoch: number): Promise<EpochTally | null> {
    const tally = this.#tallies.get(epoch);
    return tally ? structuredClone(tally) : null;
  }

  /** The closed-epoch record, for assertions (the port has no reader for it). */
  closedEpoch(epoch: number): ClosedEpoch | null {
    const record = this.#closed.get(epoch);
    return record ? { ...record } : null;
  }
}
