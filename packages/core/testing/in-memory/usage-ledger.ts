import type { UsageLedger, UsageRecord } from "../../src/index.js";
import type { InMemoryAccountStore } from "./account-store.js";
import type { InMemoryApiKeyStore } from "./api-key-store.js";

/** Usage records in memory; charging debits the in-memory account and key, once per record id. */
export class InMemoryUsageLedger implements UsageLedger {
  readonly #records = new Map<string, UsageRecord>();
  /** Set to make the next N charges throw, as a store outage would. */
  failNext = 0;

  constructor(private readonly stores: { accounts: InMemoryAccountStore; apiKeys?: InMemoryApiKeyStore }) {}

  async charge(record: UsageRecord): Promise<"charged" | "duplicate"> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("usage store unavailable");
    }
    if (this.#records.has(record.id)) return "duplicate";
    this.stores.accounts.debit(record.ownerId, record.cost);
    this.stores.apiKeys?.addSpent(record.keyHash, record.cost);
    this.#records.set(record.id, { ...record });
    return "charged";
  }

  async chargeBatch(records: UsageRecord[]): Promise<"charged" | "conflict"> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("usage store unavailable");
    }
    const ids = new Set(records.map((r) => r.id));
    if (ids.size !== records.length || records.some((r) => this.#records.has(r.id))) return "conflict";
    for (const record of records) await this.charge(record);
    return "charged";
  }

  async listByOwner(ownerId: string, options: { limit: number; before?: string }): Promise<UsageRecord[]> {
    const mine = [...this.#records.values()].filter((r) => r.ownerId === ownerId).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const start = options.before ? mine.findIndex((r) => r.id === options.before) + 1 : 0;
    return mine.slice(start, start + options.limit).map((r) => ({ ...r }));
  }
}
