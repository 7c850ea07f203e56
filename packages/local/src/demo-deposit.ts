import { AccountId, Client, Hbar, HbarUnit, PrivateKey, TransferTransaction } from "@hashgraph/sdk";

/** What the local developer deposits when the demo account has nothing left: 500 ℏ. */
export const DEMO_DEPOSIT_TINYBARS = 50_000_000_000n;

/**
 * Tops up the demo account the way any developer would: a real HBAR transfer from the developer's
 * Hedera account to the treasury, with the account id as the memo. The deposit-scan cron then
 * finds it on the mirror node and credits it; nothing writes the balance directly.
 */
export async function depositToTreasury(options: {
  consensusNode: { address: string; accountId: string };
  from: { accountId: string; privateKey: string };
  treasuryAccountId: string;
  amountTinybars: bigint;
}): Promise<string> {
  const client = Client.forNetwork({ [options.consensusNode.address]: options.consensusNode.accountId }, { scheduleNetworkUpdate: false }).setOperator(
    AccountId.fromString(options.from.accountId),
    PrivateKey.fromStringDer(options.from.privateKey),
  );
  try {
    const amount = Hbar.from(options.amountTinybars.toString(), HbarUnit.Tinybar);
    const response = await new TransferTransaction()
      .addHbarTransfer(options.from.accountId, amount.negated())
      .addHbarTransfer(options.treasuryAccountId, amount)
      .setTransactionMemo(options.from.accountId)
      .execute(client);
    await response.getReceipt(client);
    return response.transactionId.toString();
  } finally {
    client.close();
  }
}
