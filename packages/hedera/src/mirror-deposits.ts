import type { Deposit, DepositPage } from "@tensornode/core";
import { MirrorRestClient } from "./mirror-rest.js";

/**
 * Incoming HBAR transfers to an account, read from the mirror node alone: what the deposit-scan
 * cron needs, without any operator key (the function that credits deposits cannot move money).
 */
export class MirrorDepositReader {
  private readonly mirror: MirrorRestClient;

  /** A mirror base URL, or a client already made for it. */
  constructor(mirror: string | MirrorRestClient) {
    this.mirror = typeof mirror === "string" ? new MirrorRestClient(mirror) : mirror;
  }

  async depositsTo(accountId: string, afterTimestamp?: string, limit = 100): Promise<DepositPage> {
    const transactions = await this.mirror.transactionsOf(accountId, afterTimestamp, limit);
    const deposits: Deposit[] = [];
    for (const tx of transactions) {
      if (tx.result !== "SUCCESS" || tx.name !== "CRYPTOTRANSFER") continue;
      const transfers = (tx.transfers ?? []).map((t) => ({ account: t.account, amount: BigInt(t.amount) }));
      const credit = transfers.find((t) => t.account === accountId && t.amount > 0n);
      if (!credit) continue;
      // The sender is the account debited the most (fees go to the node and the fee account).
      const sender = transfers.filter((t) => t.amount < 0n).sort((a, b) => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0))[0];
      deposits.push({
        transactionId: tx.transaction_id,
        from: sender?.account ?? "",
        amount: credit.amount,
        memo: tx.memo_base64 ? Buffer.from(tx.memo_base64, "base64").toString("utf8") : "",
        consensusTimestamp: tx.consensus_timestamp,
      });
    }
    const scannedUntil = transactions.at(-1)?.consensus_timestamp ?? afterTimestamp;
    return { deposits, ...(scannedUntil !== undefined && { scannedUntil }), more: transactions.length >= limit };
  }
}
