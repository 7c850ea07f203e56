import type { UsageRecord } from "../billing/usage.js";

/** The record of metered work, and the debit it causes (DynamoDB). */
export interface UsageLedger {
  /**
   * Stores the record and, in the same atomic step, debits its cost from the account's balance
   * and adds it to the key's spent total. Keyed by `record.id`: charging the same id again
   * (a retried write, a redelivered job) changes nothing and answers `duplicate`.
   */
  charge(record: UsageRecord): Promise<"charged" | "duplicate">;
  /**
   * Charges several records in ONE atomic step (all or nothing): each record stored, each account
   * debited and each key's spent total raised by the sum of its records. `conflict` when any record
   * was charged before: then nothing is written, and the caller charges them one by one.
   * At most `MAX_CHARGE_BATCH` records.
   */
  chargeBatch(records: UsageRecord[]): Promise<"charged" | "conflict">;
  /** An account's records, newest first; `before` is a record id from a previous page. */
  listByOwner(ownerId: string, options: { limit: number; before?: string }): Promise<UsageRecord[]>;
}

/** DynamoDB transactions take 100 actions: a record's put plus, at worst, its own account and key updates. */
export const MAX_CHARGE_BATCH = 30;
