import type { AccountRecord, AccountStore, CreditedDeposit } from "../../src/index.js";

/** Accounts, balances and credited deposits in memory. */
export class InMemoryAccountStore implements AccountStore {
  readonly #accounts = new Map<string, AccountRecord>();
  /** Deposits credited before their account was opened. */
  readonly #held = new Map<string, bigint>();
  readonly #credited = new Set<string>();
  #cursor: string | undefined;

  async create(account: { accountId: string; createdAt: string }): Promise<boolean> {
    if (this.#accounts.has(account.accountId)) return false;
    this.#accounts.set(account.accountId, { ...account, balanceTinybars: this.#held.get(account.accountId) ?? 0n });
    this.#held.delete(account.accountId);
    return true;
  }

  async get(accountId: string): Promise<AccountRecord | null> {
    const account = this.#accounts.get(accountId);
    return account ? { ...account } : null;
  }

  async creditDeposit(deposit: CreditedDeposit): Promise<boolean> {
    if (this.#credited.has(deposit.transactionId)) return false;
    this.#credited.add(deposit.transactionId);
    const account = this.#accounts.get(deposit.accountId);
    if (account) account.balanceTinybars += deposit.amountTinybars;
    else this.#held.set(deposit.accountId, (this.#held.get(deposit.accountId) ?? 0n) + deposit.amountTinybars);
    return true;
  }

  async depositCursor(): Promise<string | undefined> {
    return this.#cursor;
  }

  async saveDepositCursor(consensusTimestamp: string): Promise<void> {
    this.#cursor = consensusTimestamp;
  }

  /** Used by the in-memory usage ledger, which debits here as the DynamoDB one does in its transaction. */
  debit(accountId: string, amount: bigint): void {
    const account = this.#accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    account.balanceTinybars -= amount;
  }
}
