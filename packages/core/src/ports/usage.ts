import type { UsageRecord } from "../billing/usage.js";

/** The record of metered work, and the debit it causes (DynamoDB). */
export interface UsageLedger {
  /**
   * Stores the record and, in the same atomic step, debits its cost from the account's balance
   * and adds it to the key's spent total. Keyed by `record.id`: charging the same id again
   * (a retried write, a redelivered job) changes nothing and answers `duplicate`.
   */
  charge(record: UsageRecord): Promise<"charged" | "duplicate">;
  /** An account's records, newest first; `before` is a record id from a previous page. */
  listByOwner(ownerId: string, options: { limit: number; before?: string }): Promise<UsageRecord[]>;
}
