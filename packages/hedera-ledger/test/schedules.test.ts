import {
  AccountBalanceQuery,
  AccountCreateTransaction,
  AccountId,
  Hbar,
  KeyList,
  PrecheckStatusError,
  PrivateKey,
  ReceiptStatusError,
  ScheduleCreateTransaction,
  ScheduleDeleteTransaction,
  ScheduleId,
  ScheduleInfoQuery,
  ScheduleSignTransaction,
  Status,
  Timestamp,
  TokenAssociateTransaction,
  TokenId,
  TopicCreateTransaction,
  TransactionId,
  TransactionReceiptQuery,
  TransactionRecordQuery,
  TransferTransaction,
  type Client,
} from "@hashgraph/sdk";
import { proto } from "@hashgraph/proto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerError, Status as LedgerStatus, accountIdProto, toLong, topicIdProto } from "../src/codec.js";
import { ed25519Signer } from "../src/keys.js";
import { emptyState, type AccountState, type LedgerState } from "../src/state.js";
import { isComplete, requiredKeys, usefulSigners } from "../src/transactions/schedule-keys.js";
import { startScheduleClock } from "../src/schedule-clock.js";
import { keyProto, startTestLedger } from "./harness.js";

/**
 * Scheduled transactions (HIP-423) through the real, unmodified @hashgraph/sdk. The ledger's
 * clock is the wall clock plus `offset`, so expiry can be reached by moving the clock instead of waiting.
 */
let offset = 0n;
const ledgerNow = () => BigInt(Date.now()) * 1_000_000n + offset;
const advanceSeconds = (seconds: number) => {
  offset += BigInt(seconds) * 1_000_000_000n;
};
/** A Timestamp `seconds` after the ledger's now. */
const inLedgerSeconds = (seconds: number) => Timestamp.fromDate(new Date(Number(ledgerNow() / 1_000_000n) + seconds * 1_000));

let t: Awaited<ReturnType<typeof startTestLedger>>;
let genesis: Client;
beforeAll(async () => {
  t = await startTestLedger({ clock: ledgerNow });
  genesis = t.client();
});
afterAll(async () => t?.close());

async function newAccount(key: PrivateKey | KeyList = PrivateKey.generateED25519(), hbar = 10) {
  const publicKey = key instanceof PrivateKey ? key.publicKey : key;
  const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(publicKey).setInitialBalance(new Hbar(hbar)).execute(genesis)).getReceipt(genesis);
  return receipt.accountId!;
}

const tinybars = async (id: AccountId) => (await new AccountBalanceQuery().setAccountId(id).execute(genesis)).hbars.toTinybars().toNumber();

const transfer = (from: AccountId, to: AccountId | string, tinybar: number) =>
  new TransferTransaction().addHbarTransfer(from, Hbar.fromTinybars(-tinybar)).addHbarTransfer(to, Hbar.fromTinybars(tinybar));

/** Executes a ScheduleSign signed by `keys` (the genesis operator pays) and returns its receipt, or the status it failed with. */
async function sign(scheduleId: ScheduleId, ...keys: PrivateKey[]) {
  const tx = new ScheduleSignTransaction().setScheduleId(scheduleId).freezeWith(genesis);
  for (const key of keys) await tx.sign(key);
  return (await tx.execute(genesis)).getReceipt(genesis);
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a failure").toBeDefined();
  return error as ReceiptStatusError | PrecheckStatusError;
}

const scheduledReceipt = (id: TransactionId) => new TransactionReceiptQuery().setTransactionId(id).setValidateStatus(false).execute(genesis);

describe("required keys of an inner transaction", () => {
  const ed = () => PrivateKey.generateED25519();
  const signer = (key: PrivateKey) => ed25519Signer(key.publicKey.toBytesRaw());
  const account = (state: LedgerState, id: string, key: proto.IKey, receiverSigRequired = false) =>
    state.accounts.set(id, { id, key, balance: 100n, receiverSigRequired, memo: "", maxAutoAssociations: 0, usedAutoAssociations: 0, tokens: new Map(), createdNanos: 0n, deleted: false } satisfies AccountState);
  const num = accountIdProto;

  it("counts the payer, debited accounts and receiverSigRequired credits, through nested threshold keys", () => {
    const [payerKey, k1, k2, k3, k4, receiverKey, other] = [ed(), ed(), ed(), ed(), ed(), ed(), ed()];
    const state = emptyState();
    account(state, "0.0.2", keyProto(payerKey.publicKey));
    // 2 of [k1, KeyList(k2, k3), k4]
    const nested = { keyList: { keys: [keyProto(k2.publicKey), keyProto(k3.publicKey)] } };
    account(state, "0.0.1001", { thresholdKey: { threshold: 2, keys: { keys: [keyProto(k1.publicKey), nested, keyProto(k4.publicKey)] } } });
    account(state, "0.0.1002", keyProto(receiverKey.publicKey), true);
    account(state, "0.0.1003", keyProto(other.publicKey));
    const body: proto.ISchedulableTransactionBody = {
      cryptoTransfer: { transfers: { accountAmounts: [{ accountID: num("0.0.1001"), amount: toLong(-3n) }, { accountID: num("0.0.1002"), amount: toLong(2n) }, { accountID: num("0.0.1003"), amount: toLong(1n) }] } },
    };
    const keys = requiredKeys(body, "0.0.2", state);
    expect(keys.payerKey).toEqual(keyProto(payerKey.publicKey));
    expect(keys.nonPayerKeys).toHaveLength(2); // the debited account and the receiverSigRequired one, not 0.0.1003

    const signed = (...ks: PrivateKey[]) => new Set(ks.map(signer));
    expect(isComplete(keys, signed(payerKey, k1, k2, receiverKey))).toBe(false); // the inner key list needs k2 and k3
    expect(isComplete(keys, signed(payerKey, k1, k2, k3, receiverKey))).toBe(true);
    expect(isComplete(keys, signed(payerKey, k1, k4, receiverKey))).toBe(true);
    expect(isComplete(keys, signed(payerKey, k1, k4))).toBe(false); // the receiver has not signed
    expect(isComplete(keys, signed(k1, k4, receiverKey))).toBe(false); // the payer has not signed
    // A schedule keeps only signatures that belong to a required key.
    expect(usefulSigners(new Set(), signed(k1, other), keys)).toEqual(signed(k1));
  });

  it("needs the account's key for TokenAssociate, the submit key for a topic, nothing more for CryptoCreate", () => {
    const [payerKey, accountKey, submitKey] = [ed(), ed(), ed()];
    const state = emptyState();
    account(state, "0.0.2", keyProto(payerKey.publicKey));
    account(state, "0.0.1001", keyProto(accountKey.publicKey));
    state.topics.set("0.0.1002", { id: "0.0.1002", memo: "", submitKey: keyProto(submitKey.publicKey), sequenceNumber: 0n, runningHash: new Uint8Array(48), createdNanos: 0n, messages: [] });
    expect(requiredKeys({ tokenAssociate: { account: num("0.0.1001"), tokens: [] } }, "0.0.2", state).nonPayerKeys).toEqual([keyProto(accountKey.publicKey)]);
    expect(requiredKeys({ consensusSubmitMessage: { topicID: topicIdProto("0.0.1002"), message: new Uint8Array([1]) } }, "0.0.2", state).nonPayerKeys).toEqual([keyProto(submitKey.publicKey)]);
    expect(requiredKeys({ cryptoCreateAccount: { key: keyProto(accountKey.publicKey) } }, "0.0.2", state).nonPayerKeys).toEqual([]);
  });

  it("cannot resolve keys of missing accounts", () => {
    const state = emptyState();
    account(state, "0.0.2", keyProto(ed().publicKey));
    const missing = () => requiredKeys({ cryptoTransfer: { transfers: { accountAmounts: [{ accountID: num("0.0.4242"), amount: toLong(-1n) }] } } }, "0.0.2", state);
    expect(missing).toThrow(LedgerError);
    expect(() => missing()).toThrow(expect.objectContaining({ status: LedgerStatus.UNRESOLVABLE_REQUIRED_SIGNERS }));
  });
});

describe("ScheduleCreate / ScheduleSign", () => {
  it("runs a 2-of-3 threshold account's transfer after the second signature, and not before", async () => {
    const [k1, k2, k3] = [PrivateKey.generateED25519(), PrivateKey.generateED25519(), PrivateKey.generateED25519()];
    const treasury = await newAccount(new KeyList([k1.publicKey, k2.publicKey, k3.publicKey], 2), 10);
    const receiver = await newAccount(undefined, 1);

    const createResponse = await new ScheduleCreateTransaction().setScheduledTransaction(transfer(treasury, receiver, 500)).setScheduleMemo("payout").execute(genesis);
    const created = await createResponse.getReceipt(genesis);
    const scheduleId = created.scheduleId!;
    const scheduledId = created.scheduledTransactionId!;
    expect(scheduledId.scheduled).toBe(true);
    expect(scheduledId.accountId!.toString()).toBe(createResponse.transactionId.accountId!.toString());
    expect(scheduledId.validStart!.toString()).toBe(createResponse.transactionId.validStart!.toString());

    const info = await new ScheduleInfoQuery().setScheduleId(scheduleId).execute(genesis);
    expect(info.executed).toBeNull();
    expect(info.creatorAccountId!.toString()).toBe("0.0.2");
    expect(info.payerAccountId!.toString()).toBe("0.0.2");
    expect(info.scheduleMemo).toBe("payout");
    expect(info.waitForExpiry).toBe(false);
    expect(info.scheduledTransactionId!.toString()).toBe(scheduledId.toString());
    expect(info.signers!.toArray().map((k) => k.toString())).toEqual([t.genesisKey.publicKey.toString()]);
    const expiresIn = info.expirationTime!.seconds.toNumber() - Number(ledgerNow() / 1_000_000_000n);
    expect(expiresIn).toBeGreaterThan(1_790);
    expect(expiresIn).toBeLessThanOrEqual(1_800);
    expect(info.scheduledTransaction).toBeInstanceOf(TransferTransaction);

    const first = await sign(scheduleId, k1);
    expect(first.status).toBe(Status.Success);
    expect((await new ScheduleInfoQuery().setScheduleId(scheduleId).execute(genesis)).executed).toBeNull();
    expect(await tinybars(receiver)).toBe(100_000_000);
    // The same signature again adds nothing.
    expect((await failure(sign(scheduleId, k1))).status).toBe(Status.NoNewValidSignatures);

    const second = await sign(scheduleId, k2);
    expect(second.scheduledTransactionId!.toString()).toBe(scheduledId.toString());
    const inner = await scheduledReceipt(scheduledId);
    expect(inner.status).toBe(Status.Success);
    expect(await tinybars(receiver)).toBe(100_000_500);
    const record = await new TransactionRecordQuery().setTransactionId(scheduledId).execute(genesis);
    expect(record.scheduleRef!.toString()).toBe(scheduleId.toString());
    expect(record.transactionId.scheduled).toBe(true);
    expect((await new ScheduleInfoQuery().setScheduleId(scheduleId).execute(genesis)).executed).not.toBeNull();

    expect((await failure(sign(scheduleId, k3))).status).toBe(Status.ScheduleAlreadyExecuted);
  });

  it("executes at once when the create carries every required signature", async () => {
    const key = PrivateKey.generateED25519();
    const from = await newAccount(key, 5);
    const tx = await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 7)).freezeWith(genesis).sign(key);
    const receipt = await (await tx.execute(genesis)).getReceipt(genesis);
    expect((await scheduledReceipt(receipt.scheduledTransactionId!)).status).toBe(Status.Success);
    expect(await tinybars(from)).toBe(500_000_000 - 7);
  });

  it("reports an inner failure in the inner receipt while the create succeeds", async () => {
    const key = PrivateKey.generateED25519();
    const poor = await newAccount(key, 1);
    const tx = await new ScheduleCreateTransaction().setScheduledTransaction(transfer(poor, "0.0.2", 5 * 100_000_000)).freezeWith(genesis).sign(key);
    const created = await (await tx.execute(genesis)).getReceipt(genesis);
    expect(created.status).toBe(Status.Success);
    expect((await scheduledReceipt(created.scheduledTransactionId!)).status).toBe(Status.InsufficientAccountBalance);
    expect(await tinybars(poor)).toBe(100_000_000);
    expect((await new ScheduleInfoQuery().setScheduleId(created.scheduleId!).execute(genesis)).executed).not.toBeNull();
  });

  it("refuses an identical schedule, naming the existing one in the receipt", async () => {
    const from = await newAccount();
    const first = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 3)).execute(genesis)).getReceipt(genesis);
    const error = await failure((await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 3)).execute(genesis)).getReceipt(genesis));
    expect(error.status).toBe(Status.IdenticalScheduleAlreadyCreated);
    const receipt = (error as ReceiptStatusError).transactionReceipt;
    expect(receipt.scheduleId!.toString()).toBe(first.scheduleId!.toString());
    expect(receipt.scheduledTransactionId!.toString()).toBe(first.scheduledTransactionId!.toString());
    // Another memo makes another schedule.
    const other = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 3)).setScheduleMemo("again").execute(genesis)).getReceipt(genesis);
    expect(other.scheduleId!.toString()).not.toBe(first.scheduleId!.toString());
  });

  it("refuses types outside the scheduling whitelist (Hedera's default: no TopicCreate, no TokenAssociate)", async () => {
    const topic = await failure((await new ScheduleCreateTransaction().setScheduledTransaction(new TopicCreateTransaction().setTopicMemo("x")).execute(genesis)).getReceipt(genesis));
    expect(topic.status).toBe(Status.ScheduledTransactionNotInWhitelist);
    const associate = new TokenAssociateTransaction().setAccountId(AccountId.fromString("0.0.2")).setTokenIds([TokenId.fromString("0.0.999999")]);
    const refused = await failure((await new ScheduleCreateTransaction().setScheduledTransaction(associate).execute(genesis)).getReceipt(genesis));
    expect(refused.status).toBe(Status.ScheduledTransactionNotInWhitelist);
  });

  it("checks the expiration time, the designated payer and the inner transaction's accounts", async () => {
    const from = await newAccount();
    const create = () => new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 1));
    const tooFar = await failure((await create().setExpirationTime(inLedgerSeconds(5_356_800 + 10)).execute(genesis)).getReceipt(genesis));
    expect(tooFar.status).toBe(Status.ScheduleExpirationTimeTooFarInFuture);
    const past = await failure((await create().setExpirationTime(inLedgerSeconds(-10)).execute(genesis)).getReceipt(genesis));
    expect(past.status).toBe(Status.ScheduleExpirationTimeMustBeHigherThanConsensusTime);
    const noExpiry = await failure(create().setWaitForExpiry(true).execute(genesis));
    expect(noExpiry).toBeInstanceOf(PrecheckStatusError);
    expect(noExpiry.status).toBe(Status.MissingExpiryTime);
    const noPayer = await failure((await create().setPayerAccountId(AccountId.fromString("0.0.987654")).execute(genesis)).getReceipt(genesis));
    expect(noPayer.status).toBe(Status.AccountIdDoesNotExist);
    const ghost = await failure(
      (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(AccountId.fromString("0.0.987655"), "0.0.2", 1)).execute(genesis)).getReceipt(genesis),
    );
    expect(ghost.status).toBe(Status.UnresolvableRequiredSigners);
  });

  it("makes a designated payer's key a required signature and charges the inner fee to it", async () => {
    const payerKey = PrivateKey.generateED25519();
    const payer = await newAccount(payerKey, 2);
    const schedule = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(AccountId.fromString("0.0.2"), payer, 1)).setPayerAccountId(payer).execute(genesis)).getReceipt(genesis);
    const info = await new ScheduleInfoQuery().setScheduleId(schedule.scheduleId!).execute(genesis);
    expect(info.payerAccountId!.toString()).toBe(payer.toString());
    expect(info.executed).toBeNull(); // genesis signed the debit, the payer has not signed yet
    await sign(schedule.scheduleId!, payerKey);
    const record = await new TransactionRecordQuery().setTransactionId(schedule.scheduledTransactionId!).execute(genesis);
    expect(record.receipt.status).toBe(Status.Success);
    expect(record.transactionFee.toTinybars().toNumber()).toBeGreaterThan(0);
    expect(await tinybars(payer)).toBe(200_000_000 + 1 - record.transactionFee.toTinybars().toNumber());
  });
});

describe("ScheduleDelete", () => {
  it("deletes a schedule with an admin key; afterwards it cannot be signed", async () => {
    const key = PrivateKey.generateED25519();
    const from = await newAccount(key);
    const created = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 2)).setAdminKey(t.genesisKey.publicKey).execute(genesis)).getReceipt(genesis);
    const deleted = await (await new ScheduleDeleteTransaction().setScheduleId(created.scheduleId!).execute(genesis)).getReceipt(genesis);
    expect(deleted.status).toBe(Status.Success);
    const info = await new ScheduleInfoQuery().setScheduleId(created.scheduleId!).execute(genesis);
    expect(info.deleted).not.toBeNull();
    expect(info.adminKey!.toString()).toBe(t.genesisKey.publicKey.toString());
    expect((await failure(sign(created.scheduleId!, key))).status).toBe(Status.ScheduleAlreadyDeleted);

    const immutable = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 4)).execute(genesis)).getReceipt(genesis);
    const refused = await failure((await new ScheduleDeleteTransaction().setScheduleId(immutable.scheduleId!).execute(genesis)).getReceipt(genesis));
    expect(refused.status).toBe(Status.ScheduleIsImmutable);
    expect((await failure(sign(ScheduleId.fromString("0.0.987656"), key))).status).toBe(Status.InvalidScheduleId);
  });
});

describe("wait_for_expiry", () => {
  it("runs a complete schedule at its expiration time (clock moved, then a tick) and purges it", async () => {
    const key = PrivateKey.generateED25519();
    const from = await newAccount(key);
    const expiration = inLedgerSeconds(5);
    const tx = await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 11)).setWaitForExpiry(true).setExpirationTime(expiration).freezeWith(genesis).sign(key);
    const created = await (await tx.execute(genesis)).getReceipt(genesis);
    const info = await new ScheduleInfoQuery().setScheduleId(created.scheduleId!).execute(genesis);
    expect(info.waitForExpiry).toBe(true);
    expect(info.executed).toBeNull();
    expect(info.expirationTime!.seconds.toNumber()).toBe(expiration.seconds.toNumber());
    // Complete already: a further signature adds nothing, and nothing runs before expiry.
    expect((await failure(sign(created.scheduleId!, key))).status).toBe(Status.NoNewValidSignatures);
    expect(await tinybars(from)).toBe(1_000_000_000);

    advanceSeconds(6);
    t.ledger.ledger.tick();
    expect((await scheduledReceipt(created.scheduledTransactionId!)).status).toBe(Status.Success);
    expect(await tinybars(from)).toBe(1_000_000_000 - 11);
    const record = await new TransactionRecordQuery().setTransactionId(created.scheduledTransactionId!).execute(genesis);
    expect(record.consensusTimestamp.seconds.toNumber()).toBe(expiration.seconds.toNumber());
    expect(record.scheduleRef!.toString()).toBe(created.scheduleId!.toString());
    // Expired schedules are gone from the consensus node.
    expect((await failure(new ScheduleInfoQuery().setScheduleId(created.scheduleId!).execute(genesis))).status).toBe(Status.InvalidScheduleId);
    expect((await failure(sign(created.scheduleId!, key))).status).toBe(Status.InvalidScheduleId);
  });

  it("runs due schedules before the next transaction even without a tick; an incomplete one just expires", async () => {
    const key = PrivateKey.generateED25519();
    const from = await newAccount(key);
    const complete = await (
      await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 13)).setWaitForExpiry(true).setExpirationTime(inLedgerSeconds(4)).freezeWith(genesis).sign(key)).execute(genesis)
    ).getReceipt(genesis);
    const incomplete = await (await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 17)).setWaitForExpiry(true).setExpirationTime(inLedgerSeconds(4)).execute(genesis)).getReceipt(genesis);

    advanceSeconds(5);
    const next = await (await transfer(AccountId.fromString("0.0.2"), from, 1).execute(genesis)).getRecord(genesis);
    const inner = await new TransactionRecordQuery().setTransactionId(complete.scheduledTransactionId!).execute(genesis);
    expect(inner.receipt.status).toBe(Status.Success);
    expect(inner.consensusTimestamp.compare(next.consensusTimestamp)).toBeLessThan(0);
    expect(await tinybars(from)).toBe(1_000_000_000 - 13 + 1);
    // The incomplete schedule ran nothing and is gone.
    const ledgerState = t.ledger.ledger.state;
    expect([...ledgerState.transactions.values()].some((x) => x.scheduleRef === incomplete.scheduleId!.toString())).toBe(false);
    expect((await failure(new ScheduleInfoQuery().setScheduleId(incomplete.scheduleId!).execute(genesis))).status).toBe(Status.InvalidScheduleId);
  });
});

describe("journal replay", () => {
  it("rebuilds a schedule run by a tick with the same consensus time after a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hedera-ledger-schedules-"));
    const genesisKey = PrivateKey.generateED25519();
    const start = () => startTestLedger({ dataDir, genesisKey: keyProto(genesisKey.publicKey), clock: ledgerNow });
    try {
      const first = await start();
      const c1 = first.client("0.0.2", genesisKey);
      const key = PrivateKey.generateED25519();
      const from = (await (await new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(new Hbar(1)).execute(c1)).getReceipt(c1)).accountId!;
      const tx = await new ScheduleCreateTransaction().setScheduledTransaction(transfer(from, "0.0.2", 19)).setWaitForExpiry(true).setExpirationTime(inLedgerSeconds(3)).freezeWith(c1).sign(key);
      const created = await (await tx.execute(c1)).getReceipt(c1);
      advanceSeconds(4);
      first.ledger.ledger.tick(); // not journaled: only transactions are
      const key1 = [...first.ledger.ledger.state.transactions.keys()].find((k) => k.endsWith("?scheduled"))!;
      const ran = first.ledger.ledger.state.transactions.get(key1)!;
      const balance = first.ledger.ledger.state.accounts.get(from.toString())!.balance;
      await first.close();

      const second = await start();
      const stop = startScheduleClock(second.ledger.ledger); // what server.ts wires: ticks at once, then every second
      stop();
      const again = second.ledger.ledger.state.transactions.get(key1)!;
      expect(again.consensusNanos).toBe(ran.consensusNanos);
      expect(again.receipt.status).toBe(proto.ResponseCodeEnum.SUCCESS);
      expect(again.scheduleRef).toBe(created.scheduleId!.toString());
      expect(second.ledger.ledger.state.accounts.get(from.toString())!.balance).toBe(balance);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
