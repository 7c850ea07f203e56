import {
  AccountBalanceQuery,
  AccountCreateTransaction,
  AccountId,
  Hbar,
  KeyList,
  PrivateKey,
  ReceiptStatusError,
  Status,
  TransactionRecordQuery,
  TransferTransaction,
} from "@hashgraph/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestLedger } from "./harness.js";

/** Accounts and HBAR through the real, unmodified @hashgraph/sdk. */
let t: Awaited<ReturnType<typeof startTestLedger>>;
beforeAll(async () => {
  t = await startTestLedger();
});
afterAll(async () => t?.close());

async function newAccount(key = PrivateKey.generateED25519(), hbar = 10) {
  const client = t.client();
  const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(new Hbar(hbar)).execute(client)).getReceipt(client);
  return { id: receipt.accountId!, key };
}

describe("accounts and HBAR transfers", () => {
  it("creates an ED25519 account, funds it and reports its balance", async () => {
    const { id } = await newAccount();
    const balance = await new AccountBalanceQuery().setAccountId(id).execute(t.client());
    expect(balance.hbars.toTinybars().toString()).toBe(new Hbar(10).toTinybars().toString());
    expect(id.num.toNumber()).toBeGreaterThanOrEqual(1001);
  });

  it("creates an ECDSA(secp256k1) account that can sign its own transfers", async () => {
    const { id, key } = await newAccount(PrivateKey.generateECDSA());
    const receiver = await newAccount();
    const client = t.client(id.toString(), key);
    const receipt = await (await new TransferTransaction().addHbarTransfer(id, new Hbar(-1)).addHbarTransfer(receiver.id, new Hbar(1)).execute(client)).getReceipt(client);
    expect(receipt.status).toBe(Status.Success);
    const balance = await new AccountBalanceQuery().setAccountId(receiver.id).execute(client);
    expect(balance.hbars.toBigNumber().toNumber()).toBe(11);
  });

  it("records the transfer with its fee and consensus timestamp", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const client = t.client(a.id.toString(), a.key);
    const response = await new TransferTransaction().addHbarTransfer(a.id, Hbar.fromTinybars(-500)).addHbarTransfer(b.id, Hbar.fromTinybars(500)).execute(client);
    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    const moved = Object.fromEntries(record.transfers.map((x) => [x.accountId.toString(), x.amount.toTinybars().toNumber()]));
    expect(moved[b.id.toString()]).toBe(500);
    expect(moved[a.id.toString()]).toBe(-500 - record.transactionFee.toTinybars().toNumber());
    expect(Buffer.from(record.transactionHash)).toEqual(Buffer.from(response.transactionHash));
  });

  it("requires every key of a key list to debit its account", async () => {
    const k1 = PrivateKey.generateED25519();
    const k2 = PrivateKey.generateED25519();
    const genesis = t.client();
    const created = await (await new AccountCreateTransaction().setKeyWithoutAlias(new KeyList([k1.publicKey, k2.publicKey])).setInitialBalance(new Hbar(5)).execute(genesis)).getReceipt(genesis);
    const id = created.accountId!;
    const transfer = () => new TransferTransaction().addHbarTransfer(id, new Hbar(-1)).addHbarTransfer(AccountId.fromString("0.0.2"), new Hbar(1)).freezeWith(genesis);
    const onlyOne = await (await transfer().sign(k1)).execute(genesis);
    await expect(onlyOne.getReceipt(genesis)).rejects.toMatchObject({ status: Status.InvalidSignature });
    const both = await (await (await transfer().sign(k1)).sign(k2)).execute(genesis);
    expect((await both.getReceipt(genesis)).status).toBe(Status.Success);
  });

  it("refuses at consensus a debit of another account that cannot cover it", async () => {
    // Prepare: the genesis account pays the fee; `a` (1 ℏ) signs a 5 ℏ debit.
    const a = await newAccount(undefined, 1);
    const genesis = t.client();
    const tx = await new TransferTransaction().addHbarTransfer(a.id, new Hbar(-5)).addHbarTransfer(AccountId.fromString("0.0.2"), new Hbar(5)).freezeWith(genesis).sign(a.key);
    // Act
    const error = await (await tx.execute(genesis)).getReceipt(genesis).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ReceiptStatusError);
    expect((error as ReceiptStatusError).status).toBe(Status.InsufficientAccountBalance);
  });

  it("refuses at precheck a payer that cannot cover its own debit plus the fee", async () => {
    const a = await newAccount(undefined, 1);
    const client = t.client(a.id.toString(), a.key);
    const attempt = new TransferTransaction().addHbarTransfer(a.id, new Hbar(-1)).addHbarTransfer(AccountId.fromString("0.0.2"), new Hbar(1)).execute(client);
    await expect(attempt).rejects.toMatchObject({ status: Status.InsufficientPayerBalance });
  });
});
