import { AccountCreateTransaction, AccountId, Client, Hbar, KeyList, PrivateKey, TransactionId } from "@hashgraph/sdk";
import { ed25519PublicKeyOf, startEmbeddedLedger, type EmbeddedLedger } from "@tensornode/hedera-ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDITS_PER_TRANSFER, HederaLedger, type HederaConfig } from "../src/index.js";

/**
 * The adapter against the embedded ledger through the real SDK: every call's effect is checked
 * in the ledger's own state (the transaction bodies it executed), not through the adapter itself.
 */

let embedded: EmbeddedLedger;
let genesis: Client;
let adapter: HederaLedger;
const genesisKey = PrivateKey.generateED25519();
let treasury: { id: string; key: PrivateKey };

async function account(key: PrivateKey | KeyList = PrivateKey.generateED25519(), hbar = 1) {
  const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(key instanceof KeyList ? key : key.publicKey).setInitialBalance(new Hbar(hbar)).execute(genesis)).getReceipt(genesis);
  return receipt.accountId!.toString();
}
const balanceOf = (id: string) => embedded.ledger.state.accounts.get(id)!.balance;

beforeAll(async () => {
  embedded = await startEmbeddedLedger({ genesisKey: ed25519PublicKeyOf(genesisKey.toStringDer()), port: 0, mirrorPort: 0, restPort: 0 });
  genesis = Client.forNetwork({ [embedded.consensus]: embedded.nodeAccountId }, { scheduleNetworkUpdate: false }).setOperator(AccountId.fromString("0.0.2"), genesisKey);
  genesis.setMaxAttempts(2).setGrpcDeadline(2_000).setRequestTimeout(10_000);
  const treasuryKey = PrivateKey.generateED25519();
  treasury = { id: await account(treasuryKey, 10_000), key: treasuryKey };
  const config: HederaConfig = {
    network: "local",
    consensusNode: { address: embedded.consensus, accountId: embedded.nodeAccountId },
    mirrorGrpc: embedded.mirror,
    mirrorRestUrl: embedded.restUrl!,
    operatorId: treasury.id,
    operatorKey: treasuryKey.toStringDer(),
    maxAttempts: 2,
    requestTimeoutMs: 10_000,
    grpcDeadlineMs: 2_000,
  };
  adapter = new HederaLedger(config);
});
afterAll(async () => {
  await adapter?.close();
  genesis?.close();
  await embedded?.close();
});

describe("HederaLedger adapter", () => {
  it("pays 20 accounts in batches of one debit and at most nine credits, each paid exactly its amount", async () => {
    const receivers = await Promise.all(Array.from({ length: 20 }, () => account()));
    const before = receivers.map(balanceOf);
    const outcomes = await adapter.transfer(receivers.map((accountId, i) => ({ accountId, amount: BigInt(1000 + i) })), { memo: "epoch 7 rewards" });

    expect(outcomes).toHaveLength(Math.ceil(20 / CREDITS_PER_TRANSFER));
    expect(outcomes.every((o) => o.status === "SUCCESS")).toBe(true);
    receivers.forEach((id, i) => expect(balanceOf(id) - before[i]!).toBe(BigInt(1000 + i)));
    for (const outcome of outcomes) {
      // The ledger keys executed transactions by the same `payer@seconds.nanos` string.
      const executed = embedded.ledger.state.transactions.get(outcome.transactionId)!;
      expect(executed).toMatchObject({ memo: "epoch 7 rewards", type: "cryptoTransfer" });
      const debits = [...executed.transfers.entries()].filter(([account, amount]) => amount < 0n && account !== treasury.id);
      expect(debits).toEqual([]); // only the treasury pays (the fee included)
      expect(executed.transfers.size).toBeLessThanOrEqual(1 + CREDITS_PER_TRANSFER + 1); // + the fee collector
    }
  });

  it("pays a pinned transaction id once: a retry with the same id is refused and reports the first outcome", async () => {
    const receiver = await account();
    const before = balanceOf(receiver);
    const id = TransactionId.generate(AccountId.fromString(treasury.id)).toString();
    const [first] = await adapter.transfer([{ accountId: receiver, amount: 5_000n }], { transactionIds: [id] });
    expect(first).toMatchObject({ transactionId: id, status: "SUCCESS" });
    await expect(adapter.transfer([{ accountId: receiver, amount: 5_000n }], { transactionIds: [id] })).rejects.toThrow(/DUPLICATE_TRANSACTION/);
    expect(balanceOf(receiver) - before).toBe(5_000n);
    expect(await adapter.transactionStatus(id)).toMatchObject({ status: "SUCCESS" });
  });

  it("reports an id the ledger never saw as unknown", async () => {
    const id = TransactionId.generate(AccountId.fromString(treasury.id)).toString();
    expect(await adapter.transactionStatus(id)).toBeNull();
  });

  it("refuses non-positive payouts before sending anything", async () => {
    const count = embedded.ledger.state.history.length;
    await expect(adapter.transfer([{ accountId: "0.0.2", amount: 0n }])).rejects.toThrow(/positive/);
    expect(embedded.ledger.state.history.length).toBe(count);
  });

  it("looks up an account's key and verifies signatures made with it (ED25519 and ECDSA)", async () => {
    for (const key of [PrivateKey.generateED25519(), PrivateKey.generateECDSA()]) {
      const id = await account(key);
      const message = new TextEncoder().encode(`register ${id}`);
      expect(await adapter.publicKeyOf(id)).toEqual({ type: key.type === "ED25519" ? "ED25519" : "ECDSA_SECP256K1", hex: Buffer.from(key.publicKey.toBytesRaw()).toString("hex") });
      expect(await adapter.verifySignature(id, message, key.sign(message))).toBe(true);
      expect(await adapter.verifySignature(id, new TextEncoder().encode("tampered"), key.sign(message))).toBe(false);
      expect(await adapter.verifySignature(id, message, PrivateKey.generateED25519().sign(message))).toBe(false);
    }
    expect(await adapter.publicKeyOf("0.0.999999")).toBeNull();
  });

  it("submits audit messages to an HCS topic", async () => {
    const { TopicCreateTransaction } = await import("@hashgraph/sdk");
    const topic = (await (await new TopicCreateTransaction().execute(adapter.client)).getReceipt(adapter.client)).topicId!.toString();
    const first = await adapter.submitMessage(topic, JSON.stringify({ epoch: 1, paid: "1000" }));
    const second = await adapter.submitMessage(topic, "x".repeat(2_500));
    expect(first.sequenceNumber).toBe(1n);
    expect(second.sequenceNumber).toBe(4n); // the long message took 3 chunks
    expect(Buffer.from(embedded.ledger.state.topics.get(topic)!.messages[0]!.message).toString()).toBe('{"epoch":1,"paid":"1000"}');
  });

  it("schedules a transfer that executes once the treasury has signed (here at creation: the treasury created it)", async () => {
    const receiver = await account();
    const before = balanceOf(receiver);
    const { scheduleId, scheduledTransactionId } = await adapter.scheduleTransfer([{ accountId: receiver, amount: 7_000n }], { memo: "epoch 8" });
    expect(scheduleId).toMatch(/^0\.0\.\d+$/);
    expect(scheduledTransactionId).toContain("?scheduled");
    const signed = await adapter.signSchedule(scheduleId);
    expect(signed.executed).toBe(true);
    expect(balanceOf(receiver) - before).toBe(7_000n);
  });

  it("reads deposits to the treasury with their memo from the mirror", async () => {
    const payerKey = PrivateKey.generateED25519();
    const payer = await account(payerKey, 50);
    const since = (await adapter.depositsTo(treasury.id)).scannedUntil;
    const client = Client.forNetwork({ [embedded.consensus]: embedded.nodeAccountId }, { scheduleNetworkUpdate: false }).setOperator(AccountId.fromString(payer), payerKey);
    const { TransferTransaction } = await import("@hashgraph/sdk");
    await (await new TransferTransaction().addHbarTransfer(payer, new Hbar(-3)).addHbarTransfer(treasury.id, new Hbar(3)).setTransactionMemo("acct_demo").execute(client)).getReceipt(client);
    client.close();
    const { deposits } = await adapter.depositsTo(treasury.id, since);
    expect(deposits.at(-1)).toMatchObject({ from: payer, amount: 300_000_000n, memo: "acct_demo" });
  });
});
