import {
  AccountId,
  PendingAirdropId,
  Status,
  TokenAirdropTransaction,
  TokenCancelAirdropTransaction,
  TokenClaimAirdropTransaction,
  TokenId,
  TransactionRecordQuery,
  TransferTransaction,
  type Client,
  type TransactionRecord,
} from "@hashgraph/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestLedger } from "./harness.js";
import { associate, createToken, newAccount, outcome, run, tokenBalance, type TestAccount, type TestLedger } from "./token-helpers.js";

/** HIP-904 airdrops through the real, unmodified @hashgraph/sdk: TokenAirdrop, TokenClaimAirdrop, TokenCancelAirdrop. */
let t: TestLedger;
let sender: TestAccount;
let senderClient: Client;
let token: TokenId;
beforeAll(async () => {
  t = await startTestLedger();
  sender = await newAccount(t, { hbar: 100 });
  senderClient = t.client(sender.id.toString(), sender.key);
  token = await createToken(t, sender, { supply: 10_000 });
});
afterAll(async () => t?.close());

const airdrop = (tokenId: TokenId, from: AccountId, to: Array<[AccountId, number]>) => {
  const tx = new TokenAirdropTransaction().addTokenTransfer(tokenId, from, -to.reduce((sum, [, amount]) => sum + amount, 0));
  for (const [account, amount] of to) tx.addTokenTransfer(tokenId, account, amount);
  return tx;
};

/** Runs an airdrop signed by the sender and returns its record. */
async function airdropRecord(tx: TokenAirdropTransaction, client = senderClient): Promise<TransactionRecord> {
  const response = await tx.freezeWith(client).execute(client);
  expect((await response.getReceipt(client)).status).toBe(Status.Success);
  return new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
}

const pending = (record: TransactionRecord) =>
  record.newPendingAirdrops.map((p) => ({ sender: p.airdropId.senderId?.toString(), receiver: p.airdropId.receiverId?.toString(), token: p.airdropId.tokenId?.toString(), amount: p.amount.toNumber() }));

const pendingId = (from: AccountId, to: AccountId, tokenId = token) => new PendingAirdropId({ senderId: from, receiverId: to, tokenId });
const claim = (receiver: TestAccount, ...ids: PendingAirdropId[]) =>
  run(t.client(receiver.id.toString(), receiver.key), new TokenClaimAirdropTransaction().setPendingAirdropIds(ids));
const cancel = (...ids: PendingAirdropId[]) => run(senderClient, new TokenCancelAirdropTransaction().setPendingAirdropIds(ids));

describe("TokenAirdrop", () => {
  it("credits an associated receiver at once", async () => {
    const alice = await newAccount(t);
    await associate(t, alice, token);
    const record = await airdropRecord(airdrop(token, sender.id, [[alice.id, 40]]));
    expect(tokenBalance(t, alice.id, token)).toBe(40);
    expect(record.tokenTransfers.get(token)?.get(alice.id)?.toNumber()).toBe(40);
    expect(record.tokenTransfers.get(token)?.get(sender.id)?.toNumber()).toBe(-40);
    expect(record.newPendingAirdrops).toHaveLength(0);
  });

  it("auto-associates a receiver with a free slot (unlimited -1 or used < max)", async () => {
    const bob = await newAccount(t, { maxAuto: -1 });
    const carol = await newAccount(t, { maxAuto: 2 });
    const record = await airdropRecord(airdrop(token, sender.id, [[bob.id, 5], [carol.id, 6]]));
    expect(tokenBalance(t, bob.id, token)).toBe(5);
    expect(tokenBalance(t, carol.id, token)).toBe(6);
    expect(record.automaticTokenAssociations.map((a) => a.accountId?.toString()).sort()).toEqual([bob.id.toString(), carol.id.toString()].sort());
    expect(record.newPendingAirdrops).toHaveLength(0);
  });

  it("leaves a pending airdrop for a receiver without slots: no tokens move, amounts accumulate, the record lists it", async () => {
    const dave = await newAccount(t); // maxAutomaticTokenAssociations 0
    const before = tokenBalance(t, sender.id, token)!;
    const first = await airdropRecord(airdrop(token, sender.id, [[dave.id, 30]]));
    expect(pending(first)).toEqual([{ sender: sender.id.toString(), receiver: dave.id.toString(), token: token.toString(), amount: 30 }]);
    expect(first.tokenTransfers.get(token) ?? undefined).toBeUndefined();
    expect(tokenBalance(t, dave.id, token)).toBeUndefined();
    expect(tokenBalance(t, sender.id, token)).toBe(before);

    // A second airdrop adds to the same pending entry; the record shows the accumulated value (as Hedera does).
    const second = await airdropRecord(airdrop(token, sender.id, [[dave.id, 12]]));
    expect(pending(second)[0]?.amount).toBe(42);

    // The receiver claims: associated for free, credited the whole amount, the sender debited now.
    const daveClient = t.client(dave.id.toString(), dave.key);
    const response = await new TokenClaimAirdropTransaction().addPendingAirdropId(first.newPendingAirdrops[0]!.airdropId).freezeWith(daveClient).execute(daveClient);
    expect((await response.getReceipt(daveClient)).status).toBe(Status.Success);
    expect(tokenBalance(t, dave.id, token)).toBe(42);
    expect(tokenBalance(t, sender.id, token)).toBe(before - 42);
    const claimRecord = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(daveClient);
    expect(claimRecord.tokenTransfers.get(token)?.get(dave.id)?.toNumber()).toBe(42);
    expect(claimRecord.tokenTransfers.get(token)?.get(sender.id)?.toNumber()).toBe(-42);
    // Claimed once only.
    expect(await outcome(claim(dave, pendingId(sender.id, dave.id)))).toBe("receipt:INVALID_PENDING_AIRDROP_ID");
  });

  it("splits one airdrop: associated receivers now, the others pending", async () => {
    const erin = await newAccount(t);
    await associate(t, erin, token);
    const frank = await newAccount(t);
    const record = await airdropRecord(airdrop(token, sender.id, [[erin.id, 3], [frank.id, 4]]));
    expect(record.tokenTransfers.get(token)?.get(erin.id)?.toNumber()).toBe(3);
    expect(record.tokenTransfers.get(token)?.get(sender.id)?.toNumber()).toBe(-3);
    expect(pending(record)).toEqual([{ sender: sender.id.toString(), receiver: frank.id.toString(), token: token.toString(), amount: 4 }]);
  });

  it("leaves a pending airdrop when the receiver requires its signature and did not sign", async () => {
    const gina = await newAccount(t, { maxAuto: -1, receiverSigRequired: true });
    const record = await airdropRecord(airdrop(token, sender.id, [[gina.id, 9]]));
    expect(pending(record).map((p) => p.receiver)).toEqual([gina.id.toString()]);
    expect(tokenBalance(t, gina.id, token)).toBeUndefined();
  });

  it("refuses bad airdrops with Hedera's statuses", async () => {
    const hank = await newAccount(t);
    // Sender signature missing: the genesis operator pays, the sender does not sign.
    expect(await outcome(run(t.client(), airdrop(token, sender.id, [[hank.id, 1]])))).toBe("receipt:INVALID_SIGNATURE");
    // The sender holds less than the whole airdrop (pending parts included).
    expect(await outcome(run(senderClient, airdrop(token, sender.id, [[hank.id, 1_000_000]])))).toBe("receipt:INSUFFICIENT_TOKEN_BALANCE");
    // A sender that never associated the token.
    const ivan = await newAccount(t);
    expect(await outcome(run(t.client(ivan.id.toString(), ivan.key), airdrop(token, ivan.id, [[hank.id, 1]])))).toBe("receipt:TOKEN_NOT_ASSOCIATED_TO_ACCOUNT");
    // Unknown token, system-account receiver, unknown receiver.
    expect(await outcome(run(senderClient, airdrop(TokenId.fromString("0.0.999999"), sender.id, [[hank.id, 1]])))).toBe("receipt:INVALID_TOKEN_ID");
    expect(await outcome(run(senderClient, airdrop(token, sender.id, [[AccountId.fromString("0.0.2"), 1]])))).toBe("receipt:INVALID_RECEIVING_NODE_ACCOUNT");
    expect(await outcome(run(senderClient, airdrop(token, sender.id, [[AccountId.fromString("0.0.987654"), 1]])))).toBe("receipt:INVALID_ACCOUNT_ID");
    // 11 fungible adjustments (1 debit + 10 credits): refused at handle, as hiero-consensus-node's TokenAirdropValidator does.
    const ten = Array.from({ length: 10 }, (_, i): [AccountId, number] => [AccountId.fromString(`0.0.${900_000 + i}`), 1]);
    expect(await outcome(run(senderClient, airdrop(token, sender.id, ten)))).toBe("receipt:TOKEN_TRANSFER_LIST_SIZE_LIMIT_EXCEEDED");
    // Two senders for one token: a pure check.
    const jane = await newAccount(t);
    await associate(t, jane, token);
    await run(senderClient, new TransferTransaction().addTokenTransfer(token, sender.id, -5).addTokenTransfer(token, jane.id, 5));
    const twoSenders = new TokenAirdropTransaction().addTokenTransfer(token, sender.id, -1).addTokenTransfer(token, jane.id, -1).addTokenTransfer(token, hank.id, 2);
    expect(await outcome(run(senderClient, twoSenders, jane.key))).toBe("precheck:AIRDROP_CONTAINS_MULTIPLE_SENDERS_FOR_A_TOKEN");
    // Nothing moved, nothing pending for hank.
    expect(tokenBalance(t, hank.id, token)).toBeUndefined();
    expect([...t.ledger.ledger.state.pendingAirdrops.values()].filter((p) => p.receiver === hank.id.toString())).toHaveLength(0);
  });
});

describe("TokenClaimAirdrop and TokenCancelAirdrop", () => {
  it("cancels a pending airdrop: no tokens move, and it can no longer be claimed", async () => {
    const kim = await newAccount(t);
    await airdropRecord(airdrop(token, sender.id, [[kim.id, 8]]));
    const before = tokenBalance(t, sender.id, token);
    expect(await outcome(cancel(pendingId(sender.id, kim.id)))).toBe("SUCCESS");
    expect(tokenBalance(t, sender.id, token)).toBe(before);
    expect(tokenBalance(t, kim.id, token)).toBeUndefined();
    expect(await outcome(claim(kim, pendingId(sender.id, kim.id)))).toBe("receipt:INVALID_PENDING_AIRDROP_ID");
    expect(await outcome(cancel(pendingId(sender.id, kim.id)))).toBe("receipt:INVALID_PENDING_AIRDROP_ID");
  });

  it("refuses bad claims and cancels with Hedera's statuses", async () => {
    const lee = await newAccount(t);
    await airdropRecord(airdrop(token, sender.id, [[lee.id, 2]]));
    const id = pendingId(sender.id, lee.id);
    // The receiver must sign a claim; the sender must sign a cancel.
    expect(await outcome(run(t.client(), new TokenClaimAirdropTransaction().addPendingAirdropId(id)))).toBe("receipt:INVALID_SIGNATURE");
    expect(await outcome(run(t.client(), new TokenCancelAirdropTransaction().addPendingAirdropId(id)))).toBe("receipt:INVALID_SIGNATURE");
    // Pure checks.
    expect(await outcome(claim(lee))).toBe("precheck:EMPTY_PENDING_AIRDROP_ID_LIST");
    expect(await outcome(claim(lee, id, id))).toBe("precheck:PENDING_AIRDROP_ID_REPEATED");
    expect(await outcome(cancel())).toBe("precheck:EMPTY_PENDING_AIRDROP_ID_LIST");
    expect(await outcome(cancel(id, id))).toBe("precheck:PENDING_AIRDROP_ID_REPEATED");
    // More than 10 ids (checked at handle).
    const eleven = Array.from({ length: 11 }, (_, i) => pendingId(AccountId.fromString(`0.0.${910_000 + i}`), lee.id));
    expect(await outcome(claim(lee, ...eleven))).toBe("receipt:PENDING_AIRDROP_ID_LIST_TOO_LONG");
    // An unknown sender in a cancel.
    expect(await outcome(run(senderClient, new TokenCancelAirdropTransaction().addPendingAirdropId(pendingId(AccountId.fromString("0.0.987654"), lee.id))))).toBe("receipt:INVALID_PENDING_AIRDROP_ID");
    // Still claimable after all that.
    expect(await outcome(claim(lee, id))).toBe("SUCCESS");
    expect(tokenBalance(t, lee.id, token)).toBe(2);
  });

  it("a claim fails with INSUFFICIENT_TOKEN_BALANCE when the sender no longer holds the amount", async () => {
    const poor = await newAccount(t, { hbar: 10 });
    await associate(t, poor, token);
    await run(senderClient, new TransferTransaction().addTokenTransfer(token, sender.id, -10).addTokenTransfer(token, poor.id, 10));
    const mia = await newAccount(t);
    const poorClient = t.client(poor.id.toString(), poor.key);
    const record = await airdropRecord(airdrop(token, poor.id, [[mia.id, 10]]), poorClient);
    expect(pending(record)[0]?.amount).toBe(10);
    // The sender spends its tokens while the airdrop is pending.
    await run(poorClient, new TransferTransaction().addTokenTransfer(token, poor.id, -6).addTokenTransfer(token, sender.id, 6));
    expect(await outcome(claim(mia, pendingId(poor.id, mia.id)))).toBe("receipt:INSUFFICIENT_TOKEN_BALANCE");
    expect(tokenBalance(t, mia.id, token)).toBeUndefined();
    // Claims two pending airdrops from different senders in one transaction once the balance is back.
    await run(senderClient, new TransferTransaction().addTokenTransfer(token, sender.id, -6).addTokenTransfer(token, poor.id, 6));
    await airdropRecord(airdrop(token, sender.id, [[mia.id, 1]]));
    expect(await outcome(claim(mia, pendingId(poor.id, mia.id), pendingId(sender.id, mia.id)))).toBe("SUCCESS");
    expect(tokenBalance(t, mia.id, token)).toBe(11);
    expect(tokenBalance(t, poor.id, token)).toBe(0);
  });
});
