import type { Logger } from "../ports/logger.js";
import type { UsageLedger } from "../ports/usage.js";
import type { UsageRecord } from "./usage.js";

/**
 * Writes usage off the request's hot path. `record` returns at once; the charge is written in the
 * background and retried until it lands, because a lost record is lost money. Charging is
 * idempotent on the record id, so a retry after an ambiguous failure cannot double-count.
 *
 * Until a charge lands, its cost counts as pending spend for the account and the key, so the
 * spending checks see it even though the stored balance does not yet.
 *
 * On Lambda, call `drain()` before the invocation returns (the container may freeze afterwards).
 */
export class UsageMeter {
  readonly #pendingByOwner = new Map<string, bigint>();
  readonly #pendingByKey = new Map<string, bigint>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #retryDelaysMs: readonly number[];

  constructor(
    private readonly deps: { usage: UsageLedger; logger: Logger; onCharged?: (record: UsageRecord) => void },
    options: { retryDelaysMs?: readonly number[] } = {},
  ) {
    this.#retryDelaysMs = options.retryDelaysMs ?? [25, 100, 400, 1_000, 2_000, 5_000, 10_000];
  }

  record(record: UsageRecord): void {
    add(this.#pendingByOwner, record.ownerId, record.cost);
    add(this.#pendingByKey, record.keyHash, record.cost);
    const write = this.#write(record).finally(() => {
      add(this.#pendingByOwner, record.ownerId, -record.cost);
      add(this.#pendingByKey, record.keyHash, -record.cost);
      this.#inFlight.delete(write);
    });
    this.#inFlight.add(write);
  }

  /** Charges once and waits for it (asynchronous jobs, where the worker may wait). */
  async charge(record: UsageRecord): Promise<"charged" | "duplicate"> {
    const outcome = await this.deps.usage.charge(record);
    if (outcome === "charged") this.deps.onCharged?.(record);
    return outcome;
  }

  pendingForOwner(ownerId: string): bigint {
    return this.#pendingByOwner.get(ownerId) ?? 0n;
  }

  pendingForKey(keyHash: string): bigint {
    return this.#pendingByKey.get(keyHash) ?? 0n;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Resolves when every charge recorded so far has been written (or given up on and logged). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #write(record: UsageRecord): Promise<void> {
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
