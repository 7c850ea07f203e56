import type { AccountRecord, CreditedDeposit } from "../accounts/account.js";

/** Developer accounts and their balances (DynamoDB). Balances change only through the ledger-like methods here and `UsageLedger.charge`. */
export interface AccountStore {
  /** Creates the account with a zero balance; false when it already exists. */
  create(account: { accountId: string; createdAt: string }): Promise<boolean>;
  get(accountId: string): Promise<AccountRecord | null>;
  /**
   * Credits a Hedera deposit to the account exactly once, keyed by its transaction id:
   * false when that transaction was already credited (a rescan, a retried cron).
   */
  creditDeposit(deposit: CreditedDeposit): Promise<boolean>;
  /** The consensus timestamp of the last deposit scanned, so the next scan starts after it. */
  depositCursor(): Promise<string | undefined>;
  saveDepositCursor(consensusTimestamp: string): Promise<void>;
}
