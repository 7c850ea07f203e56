/**
 * The distributed ledger (Hedera) as the core sees it. Amounts are integers in the ledger's
 * smallest unit (tinybars, or token units for an HTS token), never floating point.
 */
export type EntityId = string; // "0.0.1234"

export interface LedgerPublicKey {
  type: "ED25519" | "ECDSA_SECP256K1";
  /** Raw public key bytes as hex (32 bytes ED25519, 33 bytes compressed ECDSA). */
  hex: string;
}

export interface Payout {
  accountId: EntityId;
  amount: bigint;
}

export interface TransferOutcome {
  transactionId: string;
  status: "SUCCESS" | string;
  consensusTimestamp?: string;
}

export interface Deposit {
  transactionId: string;
  from: EntityId;
  amount: bigint;
  memo: string;
  consensusTimestamp: string;
}

export interface DepositPage {
  deposits: Deposit[];
  scannedUntil?: string;
  more: boolean;
}

export interface Ledger {
  /** The account's public key when it is a single key (what request signing supports); null if unknown. */
  publicKeyOf(accountId: EntityId): Promise<LedgerPublicKey | null>;
  /** True when `signature` over `message` was made by the account's key. */
  verifySignature(accountId: EntityId, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /**
   * Pays `payouts` from the operator (treasury) in as few transactions as the network's transfer
   * limits allow. Each batch is atomic; `transactionIds`, when given, pins each batch's id so a
   * retry after a crash cannot pay twice (the ledger refuses a duplicate id).
   */
  transfer(payouts: Payout[], options?: { memo?: string; token?: EntityId; transactionIds?: string[] }): Promise<TransferOutcome[]>;
  /** Where a pinned transaction stands: its status once final, or null if the ledger never saw it. */
  transactionStatus(transactionId: string): Promise<TransferOutcome | null>;
  /** Appends a message to an HCS topic (chunked when long); returns the last chunk's sequence number and transaction. */
  submitMessage(topicId: EntityId, message: Uint8Array | string): Promise<{ sequenceNumber: bigint; transactionId: string }>;
  /** Wraps a transfer in a scheduled transaction that executes once every required key has signed. */
  scheduleTransfer(payouts: Payout[], options?: { memo?: string; payerAccountId?: EntityId }): Promise<{ scheduleId: EntityId; scheduledTransactionId: string }>;
  /** Adds the operator's signature to a schedule; returns whether the schedule has now executed. */
  signSchedule(scheduleId: EntityId): Promise<{ executed: boolean }>;
  /**
   * Incoming HBAR transfers to `accountId` among its next `limit` transactions after
   * `afterTimestamp` (mirror node), oldest first. `scannedUntil` is the last transaction looked at
   * (deposit or not), where the next scan starts; `more` says the page was full.
   */
  depositsTo(accountId: EntityId, afterTimestamp?: string, limit?: number): Promise<DepositPage>;
  close(): Promise<void>;
}
