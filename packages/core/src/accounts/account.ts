/**
 * A developer account. Its id IS the Hedera account id that proved ownership by signing the
 * request that created it, so deposits from that account (memo = the id) credit it.
 */
export interface AccountRecord {
  accountId: string;
  createdAt: string;
  /** Tinybars available. May dip below zero by the cost of requests already running when it ran out. */
  balanceTinybars: bigint;
}

export interface CreditedDeposit {
  accountId: string;
  transactionId: string;
  from: string;
  amountTinybars: bigint;
  consensusTimestamp: string;
}

/** How a developer tops up: send HBAR to the treasury with the account id as the memo. */
export interface DepositInstructions {
  treasuryAccountId: string;
}

export function publicAccount(account: AccountRecord, deposit?: DepositInstructions) {
  return {
    object: "account" as const,
    id: account.accountId,
    hedera_account_id: account.accountId,
    balance: account.balanceTinybars.toString(),
    currency: "tinybar" as const,
    created_at: account.createdAt,
    deposit: deposit ? { treasury_account_id: deposit.treasuryAccountId, memo: account.accountId } : null,
  };
}
