import {
  PrivateKey,
  ReceiptStatusError,
  Status,
  StatusError,
  TopicCreateTransaction,
  TopicId,
  TopicInfoQuery,
  TopicMessageQuery,
  TopicMessageSubmitTransaction,
  TransactionRecordQuery,
  type TopicMessage,
} from "@hashgraph/sdk";
import { proto } from "@hashgraph/proto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Long from "long";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status as LedgerStatus, transactionIdKey } from "../src/codec.js";
import { nextRunningHash } from "../src/running-hash.js";
import { keyProto, startTestLedger } from "./harness.js";

/** Hedera Consensus Service through the real, unmodified @hashgraph/sdk. */
let t: Awaited<ReturnType<typeof startTestLedger>>;
beforeAll(async () => {
  t = await startTestLedger();
});
afterAll(async () => t?.close());

async function createTopic(configure: (tx: TopicCreateTransaction) => TopicCreateTransaction = (tx) => tx) {
  const client = t.client();
  const receipt = await (await configure(new TopicCreateTransaction()).execute(client)).getReceipt(client);
  return receipt.topicId!;
}

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
const statusOf = (error: unknown) => (error as ReceiptStatusError | StatusError).status;

describe("topics", () => {
  it("creates a topic (48 zero-byte running hash, sequence 0) and answers TopicInfoQuery", async () => {
    const client = t.client();
    const id = await createTopic((tx) => tx.setTopicMemo("settlement audit").setAdminKey(t.genesisKey.publicKey));
    expect(id.num.toNumber()).toBeGreaterThanOrEqual(1001);
    const info = await new TopicInfoQuery().setTopicId(id).execute(client);
    expect(info.topicMemo).toBe("settlement audit");
    expect(info.sequenceNumber.toNumber()).toBe(0);
    expect(Buffer.from(info.runningHash)).toEqual(Buffer.alloc(48));
    expect(info.adminKey?.toString()).toBe(t.genesisKey.publicKey.toString());
    expect(info.submitKey).toBeNull();
    expect(info.autoRenewAccountId?.toString()).toBe("0.0.2");
    expect(info.autoRenewPeriod?.seconds.toNumber()).toBe(7_776_000);
    expect(Array.from(info.ledgerId?.toBytes() ?? [])).toEqual([3]);
  });

  it("refuses a topic memo over 100 bytes and an admin key that did not sign", async () => {
    const client = t.client();
    const longMemo = await (await new TopicCreateTransaction().setTopicMemo("x".repeat(101)).execute(client)).getReceipt(client).catch((e: unknown) => e);
    expect(statusOf(longMemo)).toBe(Status.MemoTooLong);
    const unsigned = await (await new TopicCreateTransaction().setAdminKey(PrivateKey.generateED25519().publicKey).execute(client)).getReceipt(client).catch((e: unknown) => e);
    expect(statusOf(unsigned)).toBe(Status.InvalidSignature);
  });

  it("submits a message: sequence 1 and the v3 running hash of the consensus data", async () => {
    const client = t.client();
    const topicId = await createTopic();
    const response = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage("hello").execute(client);
    const receipt = await response.getReceipt(client);
    expect(receipt.topicSequenceNumber?.toNumber()).toBe(1);
    expect(receipt.topicRunningHash?.length).toBe(48);
    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    const consensusNanos = BigInt(record.consensusTimestamp.seconds.toString()) * 1_000_000_000n + BigInt(record.consensusTimestamp.nanos.toString());
    const expected = nextRunningHash({ previousRunningHash: new Uint8Array(48), payer: "0.0.2", topic: topicId.toString(), consensusNanos, sequenceNumber: 1n, message: Buffer.from("hello") });
    expect(Buffer.from(receipt.topicRunningHash!)).toEqual(expected);
    const stored = t.ledger.ledger.state.transactions.get(transactionIdKey(response.transactionId._toProtobuf()))!;
    expect(Number(stored.receipt.topicRunningHashVersion)).toBe(3);
  });

  it("chunks a 3,000-byte message into 3 transactions, advancing the sequence number by 3", async () => {
    const client = t.client();
    const topicId = await createTopic();
    await (await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage("first").execute(client)).getReceipt(client);
    const responses = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(bytes(3000)).executeAll(client);
    expect(responses).toHaveLength(3);
    const receipts = await Promise.all(responses.map((r) => r.getReceipt(client)));
    expect(receipts.map((r) => r.topicSequenceNumber?.toNumber())).toEqual([2, 3, 4]);
    const info = await new TopicInfoQuery().setTopicId(topicId).execute(client);
    expect(info.sequenceNumber.toNumber()).toBe(4);
    expect(Buffer.from(info.runningHash)).toEqual(Buffer.from(receipts[2]!.topicRunningHash!));
    const messages = t.ledger.ledger.state.topics.get(topicId.toString())!.messages;
    expect(messages.slice(1).map((m) => [m.message.length, m.chunkInfo?.number, m.chunkInfo?.total])).toEqual([
      [1024, 1, 3],
      [1024, 2, 3],
      [952, 3, 3],
    ]);
  });

  it("requires the submit key's signature when the topic has one", async () => {
    const submitKey = PrivateKey.generateED25519();
    const client = t.client();
    const topicId = await createTopic((tx) => tx.setSubmitKey(submitKey.publicKey));
    const info = await new TopicInfoQuery().setTopicId(topicId).execute(client);
    expect(info.submitKey?.toString()).toBe(submitKey.publicKey.toString());
    const refused = await (await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage("not allowed").execute(client)).getReceipt(client).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReceiptStatusError);
    expect(statusOf(refused)).toBe(Status.InvalidSignature);
    const signed = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage("allowed").freezeWith(client).sign(submitKey);
    const receipt = await (await signed.execute(client)).getReceipt(client);
    expect(receipt.topicSequenceNumber?.toNumber()).toBe(1);
  });

  it("refuses an unknown topic and a chunk over 1,024 bytes", async () => {
    const client = t.client();
    const unknown = await (await new TopicMessageSubmitTransaction().setTopicId(TopicId.fromString("0.0.999999")).setMessage("hi").execute(client)).getReceipt(client).catch((e: unknown) => e);
    expect(statusOf(unknown)).toBe(Status.InvalidTopicId);
    const topicId = await createTopic();
    const oversized = await (await new TopicMessageSubmitTransaction().setTopicId(topicId).setChunkSize(2000).setMessage(bytes(1500)).execute(client)).getReceipt(client).catch((e: unknown) => e);
    expect(statusOf(oversized)).toBe(Status.MessageSizeTooLarge);
    const info = await new TopicInfoQuery().setTopicId(topicId).execute(client);
    expect(info.sequenceNumber.toNumber()).toBe(0);
    const missing = await new TopicInfoQuery().setTopicId(TopicId.fromString("0.0.999999")).execute(client).catch((e: unknown) => e);
    expect(statusOf(missing)).toBe(Status.InvalidTopicId);
  });

  it("streams historical and live messages to TopicMessageQuery, reassembling chunks", async () => {
    const client = t.client();
    const topicId = await createTopic();
    await (await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage("historical").execute(client)).getReceipt(client);
    const received: TopicMessage[] = [];
    const errors: unknown[] = [];
    let done!: () => void;
    const twoMessages = new Promise<void>((resolve) => (done = resolve));
    const handle = new TopicMessageQuery()
      .setTopicId(topicId)
      .setStartTime(0)
      .subscribe(
        client,
        (_message, error) => errors.push(error),
        (message) => {
          received.push(message);
          if (received.length === 2) done();
        },
      );
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the subscription is open
      const big = bytes(3000);
      const responses = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(big).executeAll(client);
      await Promise.all(responses.map((r) => r.getReceipt(client)));
      await Promise.race([twoMessages, new Promise((_, reject) => setTimeout(() => reject(new Error("no messages")), 4_000))]);
      expect(Buffer.from(received[0]!.contents).toString()).toBe("historical");
      expect(received[0]!.sequenceNumber.toNumber()).toBe(1);
      expect(received[1]!.chunks).toHaveLength(3);
      expect(Buffer.from(received[1]!.contents)).toEqual(Buffer.from(big));
      expect(received[1]!.initialTransactionId?.toString()).toBe(responses[0]!.transactionId.toString());
      expect(errors).toEqual([]);
    } finally {
      handle.unsubscribe();
    }
  });
});

describe("topics after a restart", () => {
  it("replays the journal to the same sequence numbers and running hashes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hedera-ledger-topics-"));
    try {
      const genesisKey = PrivateKey.generateED25519();
      const start = () => startTestLedger({ dataDir, genesisKey: keyProto(genesisKey.publicKey) });
      const first = await start();
      const c1 = first.client("0.0.2", genesisKey);
      const topicId = (await (await new TopicCreateTransaction().setTopicMemo("durable").execute(c1)).getReceipt(c1)).topicId!;
      const responses = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(bytes(2500)).executeAll(c1);
      await Promise.all(responses.map((r) => r.getReceipt(c1)));
      const before = await new TopicInfoQuery().setTopicId(topicId).execute(c1);
      await first.close();

      const second = await start();
      try {
        const topic = second.ledger.ledger.state.topics.get(topicId.toString())!;
        expect(topic.memo).toBe("durable");
        expect(topic.messages).toHaveLength(3);
        // The paid TopicInfoQuery above added one more journal entry (its payment), not a message.
        expect(topic.sequenceNumber).toBe(3n);
        expect(Buffer.from(topic.runningHash)).toEqual(Buffer.from(before.runningHash));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("chunk rules (ledger level: the SDK always sends valid chunk info)", () => {
  /** Builds and submits a ConsensusSubmitMessage with chosen chunk info; returns its receipt status. */
  function submitRaw(topic: string, chunk: ((ownId: proto.ITransactionID) => proto.IConsensusMessageChunkInfo) | undefined, message: Uint8Array = Buffer.from("chunk"), validStartNanos = BigInt(Date.now() - 2_000) * 1_000_000n) {
    const [, , num] = topic.split(".");
    const transactionID = {
      accountID: { shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(2) },
      transactionValidStart: { seconds: Long.fromString((validStartNanos / 1_000_000_000n).toString()), nanos: Number(validStartNanos % 1_000_000_000n) },
    };
    const bodyBytes = proto.TransactionBody.encode({
      transactionID,
      nodeAccountID: { shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(3) },
      transactionFee: Long.fromNumber(200_000_000),
      transactionValidDuration: { seconds: Long.fromNumber(120) },
      consensusSubmitMessage: {
        topicID: { shardNum: Long.ZERO, realmNum: Long.ZERO, topicNum: Long.fromString(num!) },
        message,
        ...(chunk ? { chunkInfo: chunk(transactionID) } : {}),
      },
    }).finish();
    const pubKey = keyProto(t.genesisKey.publicKey).ed25519!;
    const signedTransactionBytes = proto.SignedTransaction.encode({ bodyBytes, sigMap: { sigPair: [{ pubKeyPrefix: pubKey, ed25519: t.genesisKey.sign(bodyBytes) }] } }).finish();
    const ledger = t.ledger.ledger;
    const precheck = ledger.submitTransaction(proto.Transaction.encode({ signedTransactionBytes }).finish()).nodeTransactionPrecheckCode;
    if (precheck !== LedgerStatus.OK) return precheck;
    return ledger.state.transactions.get(transactionIdKey(transactionID))!.receipt.status;
  }

  it("checks chunk number, initial transaction id payer and chunk 1's own id; refuses empty messages at precheck", async () => {
    const topic = (await createTopic()).toString();
    const other = { accountID: { shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(98) }, transactionValidStart: { seconds: Long.fromNumber(1), nanos: 0 } };
    const samePayerEarlier = { accountID: { shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(2) }, transactionValidStart: { seconds: Long.fromNumber(1), nanos: 0 } };
    let at = BigInt(Date.now() - 3_000) * 1_000_000n;
    const next = () => (at += 1n);
    expect(submitRaw(topic, (own) => ({ initialTransactionID: own, number: 0, total: 2 }), undefined, next())).toBe(LedgerStatus.INVALID_CHUNK_NUMBER);
    expect(submitRaw(topic, (own) => ({ initialTransactionID: own, number: 3, total: 2 }), undefined, next())).toBe(LedgerStatus.INVALID_CHUNK_NUMBER);
    expect(submitRaw(topic, () => ({ initialTransactionID: other, number: 2, total: 2 }), undefined, next())).toBe(LedgerStatus.INVALID_CHUNK_TRANSACTION_ID);
    expect(submitRaw(topic, () => ({ initialTransactionID: samePayerEarlier, number: 1, total: 2 }), undefined, next())).toBe(LedgerStatus.INVALID_CHUNK_TRANSACTION_ID);
    expect(submitRaw(topic, () => ({ initialTransactionID: samePayerEarlier, number: 2, total: 2 }), undefined, next())).toBe(LedgerStatus.SUCCESS);
    expect(submitRaw(topic, (own) => ({ initialTransactionID: own, number: 1, total: 1 }), undefined, next())).toBe(LedgerStatus.SUCCESS);
    expect(submitRaw(topic, undefined, undefined, next())).toBe(LedgerStatus.SUCCESS);
    expect(submitRaw(topic, undefined, new Uint8Array(0), next())).toBe(LedgerStatus.INVALID_TOPIC_MESSAGE);
    expect(t.ledger.ledger.state.topics.get(topic)!.sequenceNumber).toBe(3n);
  });
});
