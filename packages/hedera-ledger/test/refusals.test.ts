import { proto } from "@hashgraph/proto";
import {
  AccountBalanceQuery,
  AccountCreateTransaction,
  AccountId,
  AccountInfoQuery,
  FileCreateTransaction,
  Hbar,
  PrecheckStatusError,
  PrivateKey,
  ReceiptStatusError,
  Timestamp,
  Transaction,
  TransactionId,
  TransactionRecordQuery,
  TransferTransaction,
  type Client,
} from "@hashgraph/sdk";
import Long from "long";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUERY_TYPES, TRANSACTION_TYPES } from "../src/index.js";
import { startTestLedger } from "./harness.js";
import { RawGrpc, rawTransfer } from "./raw-grpc.js";

/**
 * Every way a transaction is refused, with the exact status Hedera answers (hiero-consensus-node
 * IngestChecker / TransactionChecker / SolvencyPreCheck), through the real @hashgraph/sdk where it
 * will send the transaction and as raw gRPC bytes where it will not (or would retry).
 */
let t: Awaited<ReturnType<typeof startTestLedger>>;
let genesis: Client;
let raw: RawGrpc;

beforeAll(async () => {
  t = await startTestLedger();
  genesis = t.client();
  raw = new RawGrpc(t.ledger.consensus);
});
afterAll(async () => {
  raw?.close();
  await t?.close();
});

async function newAccount(key = PrivateKey.generateED25519(), tinybars = 1_000_000_000) {
  const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(Hbar.fromTinybars(tinybars)).execute(genesis)).getReceipt(genesis);
  return { id: receipt.accountId!.toString(), key };
}

/** The status of the PrecheckStatusError `promise` rejects with (fails if it resolves or rejects otherwise). */
async function precheckStatus(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a PrecheckStatusError").toBeInstanceOf(PrecheckStatusError);
  return (error as PrecheckStatusError).status.toString();
}

const tinybars = async (id: string) => (await new AccountBalanceQuery().setAccountId(id).execute(genesis)).hbars.toTinybars().toString();
const pay = (from: string, to: string, amount: number) => new TransferTransaction().addHbarTransfer(from, Hbar.fromTinybars(-amount)).addHbarTransfer(to, Hbar.fromTinybars(amount));
const statusName = (code: number) => proto.ResponseCodeEnum[code];

describe("signatures", () => {
  it("refuses at precheck a payer signature by the wrong key (ED25519 and ECDSA): INVALID_SIGNATURE", async () => {
    const impostor = t.client("0.0.2", PrivateKey.generateED25519());
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).execute(impostor))).toBe("INVALID_SIGNATURE");

    const ecdsa = await newAccount(PrivateKey.generateECDSA());
    const wrongEcdsa = t.client(ecdsa.id, PrivateKey.generateECDSA());
    expect(await precheckStatus(pay(ecdsa.id, "0.0.98", 1).execute(wrongEcdsa))).toBe("INVALID_SIGNATURE");
  });

  it("fails at consensus when a debited non-payer account did not sign: receipt INVALID_SIGNATURE, only the fee moves", async () => {
    const victim = await newAccount();
    const genesisBefore = BigInt(await tinybars("0.0.2"));
    const response = await pay(victim.id, "0.0.2", 100).execute(genesis);
    const error = await response.getReceipt(genesis).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiptStatusError);
    expect((error as ReceiptStatusError).status.toString()).toBe("INVALID_SIGNATURE");
    expect(await tinybars(victim.id)).toBe("1000000000");
    // The payer paid the transaction fee, nothing else moved.
    expect(genesisBefore - BigInt(await tinybars("0.0.2"))).toBe(TRANSACTION_TYPES.cryptoTransfer!.fee);
  });
});

describe("body checks", () => {
  it("refuses 11 HBAR adjustments at precheck (TRANSFER_LIST_SIZE_LIMIT_EXCEEDED) and accepts 10", async () => {
    const payees = await Promise.all(Array.from({ length: 10 }, () => newAccount(undefined, 0)));
    const eleven = new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-10));
    for (const p of payees) eleven.addHbarTransfer(p.id, Hbar.fromTinybars(1));
    expect(await precheckStatus(eleven.execute(genesis))).toBe("TRANSFER_LIST_SIZE_LIMIT_EXCEEDED");

    const ten = new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-9));
    for (const p of payees.slice(0, 9)) ten.addHbarTransfer(p.id, Hbar.fromTinybars(1));
    expect((await (await ten.execute(genesis)).getReceipt(genesis)).status.toString()).toBe("SUCCESS");

    // Pure checks come before the payer's signature is looked at (IngestChecker step 4a before 6).
    const impostor = t.client("0.0.2", PrivateKey.generateED25519());
    const elevenAgain = new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-10));
    for (const p of payees) elevenAgain.addHbarTransfer(p.id, Hbar.fromTinybars(1));
    expect(await precheckStatus(elevenAgain.execute(impostor))).toBe("TRANSFER_LIST_SIZE_LIMIT_EXCEEDED");
  });

  it("refuses a memo over 100 UTF-8 bytes (MEMO_TOO_LONG) or with a zero byte (INVALID_ZERO_BYTE_IN_STRING)", async () => {
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setTransactionMemo("m".repeat(101)).execute(genesis))).toBe("MEMO_TOO_LONG");
    // 40 characters, 120 bytes: the limit counts bytes.
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setTransactionMemo("✓".repeat(40)).execute(genesis))).toBe("MEMO_TOO_LONG");
    expect((await (await pay("0.0.2", "0.0.98", 1).setTransactionMemo("m".repeat(100)).execute(genesis)).getReceipt(genesis)).status.toString()).toBe("SUCCESS");
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setTransactionMemo("a\u0000b").execute(genesis))).toBe("INVALID_ZERO_BYTE_IN_STRING");
  });

  it("refuses a transaction over 6,144 bytes (TRANSACTION_OVERSIZE), from the SDK and as raw bytes", async () => {
    const tx = await pay("0.0.2", "0.0.98", 1).freezeWith(genesis).signWithOperator(genesis);
    for (let i = 0; i < 62; i++) await tx.sign(PrivateKey.generateED25519()); // ~100 bytes each
    const size = proto.TransactionList.decode(tx.toBytes()).transactionList[0]!;
    expect(proto.Transaction.encode(size).finish().length).toBeGreaterThan(6_144);
    expect(await precheckStatus(tx.execute(genesis))).toBe("TRANSACTION_OVERSIZE");

    const padded = proto.Transaction.encode({ signedTransactionBytes: new Uint8Array(7_000) }).finish();
    expect(statusName(await raw.submit(padded))).toBe("TRANSACTION_OVERSIZE");
  });

  it("refuses an unsupported transaction type with NOT_SUPPORTED", async () => {
    const fileCreate = new FileCreateTransaction().setContents("hello").setKeys([t.genesisKey.publicKey]);
    expect(await precheckStatus(fileCreate.execute(genesis))).toBe("NOT_SUPPORTED");
  });
});

describe("transaction ids and validity window", () => {
  it("refuses a duplicate of an executed transaction (same signed bytes) with DUPLICATE_TRANSACTION", async () => {
    const tx = await pay("0.0.2", "0.0.98", 1).freezeWith(genesis).signWithOperator(genesis);
    const bytes = tx.toBytes();
    expect((await (await tx.execute(genesis)).getReceipt(genesis)).status.toString()).toBe("SUCCESS");
    const again = Transaction.fromBytes(bytes);
    expect(again.nodeAccountIds?.map(String)).toEqual(["0.0.3"]);
    expect(await precheckStatus(again.execute(genesis))).toBe("DUPLICATE_TRANSACTION");
  });

  it("refuses an expired transaction (valid start 200 s ago) with TRANSACTION_EXPIRED, without a new id", async () => {
    const id = TransactionId.withValidStart(AccountId.fromString("0.0.2"), Timestamp.fromDate(new Date(Date.now() - 200_000)));
    const error = await pay("0.0.2", "0.0.98", 1).setTransactionId(id).execute(genesis).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrecheckStatusError);
    expect((error as PrecheckStatusError).status.toString()).toBe("TRANSACTION_EXPIRED");
    // The id was set explicitly, so the SDK did not regenerate it and retry.
    expect((error as PrecheckStatusError).transactionId.toString()).toBe(id.toString());
  });

  it("refuses a valid duration outside 15..180 s with INVALID_TRANSACTION_DURATION", async () => {
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setTransactionValidDuration(200).execute(genesis))).toBe("INVALID_TRANSACTION_DURATION");
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setTransactionValidDuration(10).execute(genesis))).toBe("INVALID_TRANSACTION_DURATION");
    expect((await (await pay("0.0.2", "0.0.98", 1).setTransactionValidDuration(180).execute(genesis)).getReceipt(genesis)).status.toString()).toBe("SUCCESS");
  });

  it("refuses a nonce or scheduled flag set by the client with TRANSACTION_ID_FIELD_NOT_ALLOWED (raw gRPC)", async () => {
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey, { nonce: 1 })))).toBe("TRANSACTION_ID_FIELD_NOT_ALLOWED");
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey, { scheduled: true })))).toBe("TRANSACTION_ID_FIELD_NOT_ALLOWED");
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey)))).toBe("OK");
  });
});

describe("payer and node", () => {
  it("refuses a transaction for another node with INVALID_NODE_ACCOUNT (raw gRPC: the SDK would retry)", async () => {
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey, { node: 4 })))).toBe("INVALID_NODE_ACCOUNT");
  });

  it("refuses an unknown payer with PAYER_ACCOUNT_NOT_FOUND and a deleted one with PAYER_ACCOUNT_DELETED", async () => {
    const stranger = t.client("0.0.987654", PrivateKey.generateED25519());
    expect(await precheckStatus(pay("0.0.987654", "0.0.98", 1).execute(stranger))).toBe("PAYER_ACCOUNT_NOT_FOUND");

    // No CryptoDelete handler yet: mark the account deleted in the state.
    const gone = await newAccount();
    t.ledger.ledger.state.accounts.get(gone.id)!.deleted = true;
    expect(await precheckStatus(pay(gone.id, "0.0.98", 1).execute(t.client(gone.id, gone.key)))).toBe("PAYER_ACCOUNT_DELETED");
  });

  it("refuses a payer that cannot pay the fee with INSUFFICIENT_PAYER_BALANCE", async () => {
    const broke = await newAccount(undefined, 0);
    expect(await precheckStatus(pay(broke.id, "0.0.98", 1).execute(t.client(broke.id, broke.key)))).toBe("INSUFFICIENT_PAYER_BALANCE");
  });

  it("refuses a max transaction fee below the fee with INSUFFICIENT_TX_FEE", async () => {
    expect(await precheckStatus(pay("0.0.2", "0.0.98", 1).setMaxTransactionFee(Hbar.fromTinybars(1)).execute(genesis))).toBe("INSUFFICIENT_TX_FEE");
  });
});

describe("malformed input over raw gRPC", () => {
  it("answers INVALID_TRANSACTION / INVALID_TRANSACTION_BODY and keeps serving", async () => {
    // A length-delimited field claiming more bytes than there are: not a Transaction at all.
    expect(statusName(await raw.submit(Uint8Array.from([0x2a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])))).toBe("INVALID_TRANSACTION");
    // A Transaction whose SignedTransaction bytes do not parse.
    expect(statusName(await raw.submit(proto.Transaction.encode({ signedTransactionBytes: Uint8Array.from([0x0a, 0xff, 0x01]) }).finish()))).toBe("INVALID_TRANSACTION");
    // A SignedTransaction whose body does not parse, or is missing, or holds no transaction.
    const withBody = (bodyBytes: Uint8Array) => proto.Transaction.encode({ signedTransactionBytes: proto.SignedTransaction.encode({ bodyBytes, sigMap: {} }).finish() }).finish();
    expect(statusName(await raw.submit(withBody(Uint8Array.from([0x0a, 0xff, 0x01]))))).toBe("INVALID_TRANSACTION_BODY");
    expect(statusName(await raw.submit(new Uint8Array()))).toBe("INVALID_TRANSACTION_BODY");
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey, { noData: true })))).toBe("INVALID_TRANSACTION_BODY");
    // Garbage on a query method is answered too, not crashed on.
    await expect(raw.call("/proto.CryptoService/getAccountInfo", Uint8Array.from([0xff, 0xff, 0xff]))).resolves.toBeInstanceOf(Buffer);

    expect(await tinybars("0.0.98")).toMatch(/^\d+$/);
    expect(statusName(await raw.submit(rawTransfer(t.genesisKey)))).toBe("OK");
  });
});

describe("queries", () => {
  it("answers a paid query's COST_ANSWER with its cost, without charging for it", async () => {
    const response = await pay("0.0.2", "0.0.98", 1).execute(genesis);
    await response.getReceipt(genesis);
    const before = await tinybars("0.0.2");
    // The SDK's getCost() adds 10% to the node's answer (Query.getCost: cost × 1.1).
    const withMargin = (cost: bigint) => ((cost * 11n) / 10n).toString();
    const infoCost = await new AccountInfoQuery().setAccountId("0.0.2").getCost(genesis);
    expect(infoCost.toTinybars().toString()).toBe(withMargin(QUERY_TYPES.cryptoGetInfo!.cost));
    const recordCost = await new TransactionRecordQuery().setTransactionId(response.transactionId).getCost(genesis);
    expect(recordCost.toTinybars().toString()).toBe(withMargin(QUERY_TYPES.transactionGetRecord!.cost));
    expect(await tinybars("0.0.2")).toBe(before);

    // The same over raw gRPC: COST_ANSWER needs no payment at all.
    const query = proto.Query.encode({
      cryptoGetInfo: { header: { responseType: proto.ResponseType.COST_ANSWER }, accountID: { shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(2) } },
    }).finish();
    const answer = proto.Response.decode(await raw.call("/proto.CryptoService/getAccountInfo", query));
    expect(statusName(answer.cryptoGetInfo!.header!.nodeTransactionPrecheckCode!)).toBe("OK");
    expect(answer.cryptoGetInfo!.header!.cost!.toString()).toBe(QUERY_TYPES.cryptoGetInfo!.cost.toString());
    expect(answer.cryptoGetInfo!.accountInfo).toBeFalsy();
  });
});
