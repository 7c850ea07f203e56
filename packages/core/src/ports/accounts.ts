import type { AccountRecord, CreditedDeposit } from "../accounts/account.js";

/** Developer accounts and their balances (DynamoDB). Balances change only through the ledger-like methods here and `UsageLedger.charge`. */
export interface AccountStore {
  /**
   * Opens the account, keeping any deposits it received before it was opened; false when it is
   * already open.
   */
  create(account: { accountId: string; createdAt: string }): Promise<boolean>;
  /** An open account; null when it does not exist or has not been opened yet. */
  get(accountId: string): Promise<AccountRecord | null>;
  /**
   * Credits a Hedera deposit to the account exactly once, keyed by its transaction id: false when
   * that transaction was already credited (a rescan, a retried cron). A deposit to an account not
   * opened yet is held on it and counts from the moment it opens, so no deposit is lost to timing.
   */
  creditDeposit(deposit: CreditedDeposit): Promise<boolean>;
  /** The consensus timestamp of the last deposit scanned, so the next scan starts after it. */
  depositCursor(): Promise<string | undefined>;
  saveDepositCursor(consensusTimestamp: string): Promise<void>;
}
