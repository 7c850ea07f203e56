import {
  AccountId,
  Hbar,
  PublicKey,
  ReceiptStatusError,
  ScheduleCreateTransaction,
  ScheduleId,
  ScheduleInfoQuery,
  ScheduleSignTransaction,
  Status,
  TokenId,
  TopicId,
  TopicMessageSubmitTransaction,
  TransactionId,
  TransactionReceiptQuery,
  TransferTransaction,
  type Client,
} from "@hashgraph/sdk";
import Long from "long";
import type { DepositPage, Ledger, LedgerPublicKey, Payout, TransferOutcome } from "@tensornode/core";
import { createClient, type HederaConfig } from "./config.js";
import { MirrorKeyDirectory, MirrorRestClient } from "./mirror-rest.js";
import { MirrorDepositReader } from "./mirror-deposits.js";

/** One debit (the operator) plus at most 9 credits fit Hedera's 10-adjustment CryptoTransfer limit. */
export const CREDITS_PER_TRANSFER = 9;

/**
 * The core's Ledger port on Hedera through the real @hashgraph/sdk. The operator account is the
 * network's treasury: it pays rewards and fees. Built from configuration, so the same adapter
 * serves the embedded local ledger, testnet and mainnet.
 */
export class HederaLedger implements Ledger {
  readonly client: Client;
  private readonly mirror: MirrorRestClient;
  private readonly keys: MirrorKeyDirectory;
  private readonly operatorId: AccountId;

  constructor(private readonly config: HederaConfig) {
    this.client = createClient(config);
    this.mirror = new MirrorRestClient(config.mirrorRestUrl);
    this.keys = new MirrorKeyDirectory(this.mirror);
    this.operatorId = AccountId.fromString(config.operatorId);
  }

  publicKeyOf(accountId: string): Promise<LedgerPublicKey | null> {
    return this.keys.publicKeyOf(accountId);
  }

  async verifySignature(accountId: string, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const key = await this.publicKeyOf(accountId);
    if (!key) return false;
    try {
      const bytes = Buffer.from(key.hex, "hex");
      const publicKey = key.type === "ED25519" ? PublicKey.fromBytesED25519(bytes) : PublicKey.fromBytesECDSA(bytes);
      return publicKey.verify(message, signature);
    } catch {
      return false;
    }
  }

  async transfer(payouts: Payout[], options: { memo?: string; token?: string; transactionIds?: string[] } = {}): Promise<TransferOutcome[]> {
    for (const p of payouts) if (p.amount <= 0n) throw new Error(`payout to ${p.accountId} must be positive, got ${p.amount}`);
    const batches: Payout[][] = [];
    for (let i = 0; i < payouts.length; i += CREDITS_PER_TRANSFER) batches.push(payouts.slice(i, i + CREDITS_PER_TRANSFER));
    if (options.transactionIds && options.transactionIds.length !== batches.length) {
      throw new Error(`expected ${batches.length} transaction ids (one per batch of ${CREDITS_PER_TRANSFER}), got ${options.transactionIds.length}`);
    }
    const outcomes: TransferOutcome[] = [];
    for (const [index, batch] of batches.entries()) {
      const tx = new TransferTransaction();
      const total = batch.reduce((sum, p) => sum + p.amount, 0n);
      if (options.token) {
        const token = TokenId.fromString(options.token);
        tx.addTokenTransfer(token, this.operatorId, Long.fromString((-total).toString()));
        for (const p of batch) tx.addTokenTransfer(token, AccountId.fromString(p.accountId), Long.fromString(p.amount.toString()));
      } else {
        tx.addHbarTransfer(this.operatorId, Hbar.fromTinybars((-total).toString()));
        for (const p of batch) tx.addHbarTransfer(AccountId.fromString(p.accountId), Hbar.fromTinybars(p.amount.toString()));
      }
      if (options.memo) tx.setTransactionMemo(options.memo);
      const pinned = options.transactionIds?.[index];
      if (pinned) tx.setTransactionId(TransactionId.fromString(pinned));
      outcomes.push(await this.executeForOutcome(tx));
    }
    return outcomes;
  }

  private async executeForOutcome(tx: TransferTransaction): Promise<TransferOutcome> {
    const response = await tx.execute(this.client);
    const transactionId = response.transactionId.toString();
    try {
      const receipt = await response.getReceipt(this.client);
      return { transactionId, status: receipt.status.toString() };
    } catch (error) {
      if (error instanceof ReceiptStatusError) return { transactionId, status: error.status.toString() };
      throw error;
    }
  }

  async transactionStatus(transactionId: string): Promise<TransferOutcome | null> {
    // The mirror keeps history; consensus nodes forget receipts after a few minutes but know the
    // newest transactions before the mirror does. Ask the mirror first, then the node, once.
    const found = await this.mirror.transaction(transactionId);
    if (found) return { transactionId, status: found.result, consensusTimestamp: found.consensus_timestamp };
    try {
      const receipt = await new TransactionReceiptQuery().setTransactionId(TransactionId.fromString(transactionId)).setMaxAttempts(1).execute(this.client);
      return { transactionId, status: receipt.status.toString() };
    } catch (error) {
      if (error instanceof ReceiptStatusError) return { transactionId, status: error.status.toString() };
      // RECEIPT_NOT_FOUND (surfaced as a failed attempt): the ledger never saw this id.
      if ((error as { status?: Status }).status === Status.ReceiptNotFound || /RECEIPT_NOT_FOUND|max attempts/i.test(String(error))) return null;
      throw error;
    }
  }

  async submitMessage(topicId: string, message: Uint8Array | string) {
    // A long message goes out as several chunks; `executeAll` returns one response per chunk.
    const responses = await new TopicMessageSubmitTransaction().setTopicId(TopicId.fromString(topicId)).setMessage(message).executeAll(this.client);
    const last = responses.at(-1)!;
    const receipt = await last.getReceipt(this.client);
    return { sequenceNumber: BigInt(receipt.topicSequenceNumber?.toString() ?? "0"), transactionId: last.transactionId.toString() };
  }

  async scheduleTransfer(payouts: Payout[], options: { memo?: string; payerAccountId?: string } = {}) {
    const inner = new TransferTransaction();
    const total = payouts.reduce((sum, p) => sum + p.amount, 0n);
    inner.addHbarTransfer(this.operatorId, Hbar.fromTinybars((-total).toString()));
    for (const p of payouts) inner.addHbarTransfer(AccountId.fromString(p.accountId), Hbar.fromTinybars(p.amount.toString()));
    const create = new ScheduleCreateTransaction().setScheduledTransaction(inner);
    if (options.memo) create.setScheduleMemo(options.memo);
    if (options.payerAccountId) create.setPayerAccountId(AccountId.fromString(options.payerAccountId));
    const receipt = await (await create.execute(this.client)).getReceipt(this.client);
    return { scheduleId: receipt.scheduleId!.toString(), scheduledTransactionId: receipt.scheduledTransactionId!.toString() };
  }

  async signSchedule(scheduleId: string) {
    const id = ScheduleId.fromString(scheduleId);
    try {
      await (await new ScheduleSignTransaction().setScheduleId(id).execute(this.client)).getReceipt(this.client);
    } catch (error) {
      // Our signature may already be there (we created it, so it may even have executed at once):
      // neither is a failure of the sign.
      const done = [Status.NoNewValidSignatures, Status.ScheduleAlreadyExecuted];
      if (!(error instanceof ReceiptStatusError && done.includes(error.status))) throw error;
    }
    const info = await new ScheduleInfoQuery().setScheduleId(id).execute(this.client);
    return { executed: Boolean(info.executed) };
  }

  async depositsTo(accountId: string, afterTimestamp?: string, limit = 100): Promise<DepositPage> {
    return new MirrorDepositReader(this.mirror).depositsTo(accountId, afterTimestamp, limit);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
