import type { Logger } from "../ports/logger.js";
import { MAX_CHARGE_BATCH, type UsageLedger } from "../ports/usage.js";
import type { UsageRecord } from "./usage.js";

export interface UsageMeterOptions {
  /** Delays between attempts of a failed charge; after the last, the record is logged for replay. */
  retryDelaysMs?: readonly number[];
  /**
   * How long a charge may wait for others to share its write. Batching turns N charges into one
   * transaction, which is what keeps the store from becoming the hot path's cost under load.
   */
  lingerMs?: number;
  /** Records per batch write (at most MAX_CHARGE_BATCH). */
  maxBatch?: number;
}

/**
 * Writes usage off the request's hot path. `record` returns at once; charges are collected for a
 * few milliseconds, written together in one atomic batch, and retried one by one until they land
 * if the batch fails, because a lost record is lost money. Charging is idempotent on the record
 * id, so no retry, batch or single, can double-count.
 *
 * Until a charge lands, its cost counts as pending spend for the account and the key, so the
 * spending checks see it even though the stored balance does not yet.
 *
 * On Lambda, call `drain()` before the invocation returns (the container may freeze afterwards).
 */
export class UsageMeter {
  readonly #pendingByOwner = new Map<string, bigint>();
  readonly #pendingByKey = new Map<string, bigint>();
  readonly #reservedByOwner = new Map<string, bigint>();
  readonly #writes = new Set<Promise<void>>();
  readonly #retryDelaysMs: readonly number[];
  readonly #lingerMs: number;
  readonly #maxBatch: number;
  #queue: UsageRecord[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsettled = 0;

  constructor(
    private readonly deps: { usage: UsageLedger; logger: Logger; onCharged?: (record: UsageRecord) => void },
    options: UsageMeterOptions = {},
  ) {
    this.#retryDelaysMs = options.retryDelaysMs ?? [25, 100, 400, 1_000, 2_000, 5_000, 10_000];
    this.#lingerMs = options.lingerMs ?? 100;
    this.#maxBatch = Math.min(options.maxBatch ?? MAX_CHARGE_BATCH, MAX_CHARGE_BATCH);
  }

  record(record: UsageRecord): void {
    add(this.#pendingByOwner, record.ownerId, record.cost);
    add(this.#pendingByKey, record.keyHash, record.cost);
    this.#unsettled++;
    this.#queue.push(record);
    if (this.#queue.length >= this.#maxBatch) this.#flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), this.#lingerMs);
      this.#timer.unref?.();
    }
  }

  /**
   * Waits, in `drain`, for work that ends in `record` (a charge the gateway is still counting), so a
   * Lambda invocation does not return before the charge is recorded. A failure is logged, never thrown.
   */
  track(work: Promise<unknown>): void {
    const tracked: Promise<void> = work
      .then(
        () => {},
        (error: unknown) => this.deps.logger.error("work that was to record a usage charge failed", { error: String(error) }),
      )
      .finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
  }

  /** Charges once and waits for it (asynchronous jobs, where the worker may wait). */
  async charge(record: UsageRecord): Promise<"charged" | "duplicate"> {
    const outcome = await this.deps.usage.charge(record);
    if (outcome === "charged") this.deps.onCharged?.(record);
    return outcome;
  }

  /**
   * Holds `amount` as pending spend of the account and the key while a request runs (its worst-case
   * cost), so concurrent requests cannot each spend the same balance. The returned function lets it
   * go; calling it again does nothing. Record the actual charge before releasing, so there is no gap.
   */
  reserve(ownerId: string, keyHash: string, amount: bigint): () => void {
    if (amount <= 0n) return () => {};
    add(this.#pendingByOwner, ownerId, amount);
    add(this.#pendingByKey, keyHash, amount);
    add(this.#reservedByOwner, ownerId, amount);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      add(this.#pendingByOwner, ownerId, -amount);
      add(this.#pendingByKey, keyHash, -amount);
      add(this.#reservedByOwner, ownerId, -amount);
    };
  }

  /** The part of the account's pending spend that is reservations of requests still running. */
  reservedForOwner(ownerId: string): bigint {
    return this.#reservedByOwner.get(ownerId) ?? 0n;
  }

  pendingForOwner(ownerId: string): bigint {
    return this.#pendingByOwner.get(ownerId) ?? 0n;
  }

  pendingForKey(keyHash: string): bigint {
    return this.#pendingByKey.get(keyHash) ?? 0n;
  }

  /** Records accepted but not yet written (or given up on). */
  get inFlight(): number {
    return this.#unsettled;
  }

  /** Writes what is waiting now and resolves when every charge recorded so far has landed (or been logged). */
  async drain(): Promise<void> {
    this.#flush();
    while (this.#writes.size > 0) {
      await Promise.allSettled([...this.#writes]);
      this.#flush();
    }
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      const write: Promise<void> = this.#writeBatch(batch).finally(() => this.#writes.delete(write));
      this.#writes.add(write);
    }
  }

  async #writeBatch(batch: UsageRecord[]): Promise<void> {
    let written = false;
    if (batch.length > 1) {
      try {
        written = (await this.deps.usage.chargeBatch(batch)) === "charged";
        if (written) for (const record of batch) this.deps.onCharged?.(record);
      } catch (error) {
        this.deps.logger.warn("usage batch failed; charging its records one by one", { records: batch.length, error: String(error) });
      }
    }
    if (!written) await Promise.all(batch.map((record) => this.#writeOne(record)));
    for (const record of batch) {
      add(this.#pendingByOwner, record.ownerId, -record.cost);
      add(this.#pendingByKey, record.keyHash, -record.cost);
      this.#unsettled--;
    }
  }

  async #writeOne(record: UsageRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.deps.usage.charge(record);
        if (outcome === "charged") this.deps.onCharged?.(record);
        return;
      } catch (error) {
        const delay = this.#retryDelaysMs[attempt];
        if (delay === undefined) {
          // Logged in full so an operator can replay it; the id keeps a replay from double-charging.
          this.deps.logger.error("usage charge could not be written; replay this record", { usage: serialisable(record), error: String(error) });
          return;
        }
        this.deps.logger.warn("usage charge failed; retrying", { usageId: record.id, attempt, error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

function add(map: Map<string, bigint>, key: string, amount: bigint): void {
  const next = (map.get(key) ?? 0n) + amount;
  if (next === 0n) map.delete(key);
  else map.set(key, next);
}

const serialisable = (record: UsageRecord) => ({ ...record, pricePerUnit: record.pricePerUnit.toString(), cost: record.cost.toString() });
