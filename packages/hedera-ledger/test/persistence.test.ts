import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AccountBalanceQuery,
  AccountCreateTransaction,
  Hbar,
  PrecheckStatusError,
  PrivateKey,
  Transaction,
  TransactionReceiptQuery,
  TransactionRecordQuery,
  TransferTransaction,
  type TransactionId,
} from "@hashgraph/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { keyProto, startTestLedger } from "./harness.js";

/**
 * A ledger started with `dataDir` keeps its state across a restart: the journal is replayed, so
 * balances, receipts, records, the entity counter and the deduplication window all survive.
 */
const dataDir = mkdtempSync(join(tmpdir(), "hedera-ledger-persistence-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("persistence", () => {
  it("restarts from its data folder with the same balances, receipts, entity counter and duplicate window", async () => {
    const genesisKey = PrivateKey.generateED25519();
    const start = () => startTestLedger({ dataDir, genesisKey: keyProto(genesisKey.publicKey), restPort: 0 });

    // --- first run: an account, a transfer, and the signed bytes of one more transfer ---
    const first = await start();
    const c1 = first.client("0.0.2", genesisKey);
    const aliceKey = PrivateKey.generateECDSA();
    const created = await new AccountCreateTransaction().setKeyWithoutAlias(aliceKey.publicKey).setInitialBalance(new Hbar(10)).execute(c1);
    const alice = (await created.getReceipt(c1)).accountId!;
    const transfer = await new TransferTransaction().addHbarTransfer("0.0.2", new Hbar(-3)).addHbarTransfer(alice, new Hbar(3)).setTransactionMemo("before restart").execute(c1);
    await transfer.getReceipt(c1);
    const signed = await new TransferTransaction().addHbarTransfer(alice, Hbar.fromTinybars(-7)).addHbarTransfer("0.0.98", Hbar.fromTinybars(7)).freezeWith(c1).sign(aliceKey);
    const signedBytes = signed.toBytes();
    expect((await (await signed.execute(c1)).getReceipt(c1)).status.toString()).toBe("SUCCESS");

    const balancesOf = async (client: typeof c1) =>
      Object.fromEntries(
        await Promise.all(["0.0.2", "0.0.98", alice.toString()].map(async (id) => [id, (await new AccountBalanceQuery().setAccountId(id).execute(client)).hbars.toTinybars().toString()])),
      );
    const before = await balancesOf(c1);
    const nextEntity = first.ledger.ledger.state.nextEntityNum;
    const lastConsensus = first.ledger.ledger.state.lastConsensusNanos;
    await first.close();
    expect(readFileSync(join(dataDir, "journal.log"), "utf8").trim().split("\n").length).toBeGreaterThanOrEqual(3);

    // --- second run: same genesis key, same folder ---
    const second = await start();
    try {
      const c2 = second.client("0.0.2", genesisKey);
      expect(await balancesOf(c2)).toEqual(before);
      expect(second.ledger.ledger.state.nextEntityNum).toBe(nextEntity);
      expect(second.ledger.ledger.state.lastConsensusNanos).toBe(lastConsensus);

      // Receipts and records of pre-restart transactions are still answered.
      const receipt = async (id: TransactionId) => new TransactionReceiptQuery().setTransactionId(id).execute(c2);
      const createdAgain = await receipt(created.transactionId);
      expect(createdAgain.status.toString()).toBe("SUCCESS");
      expect(createdAgain.accountId!.toString()).toBe(alice.toString());
      expect((await receipt(transfer.transactionId)).status.toString()).toBe("SUCCESS");
      const record = await new TransactionRecordQuery().setTransactionId(transfer.transactionId).execute(c2);
      expect(record.transactionMemo).toBe("before restart");
      expect(Buffer.from(record.transactionHash)).toEqual(Buffer.from(transfer.transactionHash));

      // So does the mirror REST API, rebuilt from the same journal.
      const mirror = (await (await fetch(`${second.ledger.restUrl}/api/v1/transactions/${transfer.transactionId.toString()}`)).json()) as { transactions: unknown[] };
      expect(mirror.transactions[0]).toMatchObject({ result: "SUCCESS", memo_base64: Buffer.from("before restart").toString("base64") });

      // A duplicate of a pre-restart transaction is still refused.
      const duplicate = await Transaction.fromBytes(signedBytes)
        .execute(c2)
        .catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(PrecheckStatusError);
      expect((duplicate as PrecheckStatusError).status.toString()).toBe("DUPLICATE_TRANSACTION");

      // The entity counter continues, and the restored key still signs for its account.
      const bob = (await (await new AccountCreateTransaction().setKeyWithoutAlias(PrivateKey.generateED25519().publicKey).execute(c2)).getReceipt(c2)).accountId!;
      expect(bob.num.toNumber()).toBeGreaterThan(alice.num.toNumber());
      expect(BigInt(bob.num.toString())).toBe(nextEntity);
      const aliceClient = second.client(alice.toString(), aliceKey);
      const spent = await new TransferTransaction().addHbarTransfer(alice, Hbar.fromTinybars(-1)).addHbarTransfer(bob, Hbar.fromTinybars(1)).execute(aliceClient);
      expect((await spent.getReceipt(aliceClient)).status.toString()).toBe("SUCCESS");
      expect(second.ledger.ledger.state.lastConsensusNanos).toBeGreaterThan(lastConsensus);
    } finally {
      await second.close();
    }

    // A third start sees the second run's transactions too.
    const third = await start();
    try {
      expect(third.ledger.ledger.state.nextEntityNum).toBe(nextEntity + 1n);
    } finally {
      await third.close();
    }
  });
});
