import type { proto } from "@hashgraph/proto";
import { Status, accountIdOf, fail, toLong, topicIdOf, transactionIdKey } from "../codec.js";
import { RUNNING_HASH_VERSION, nextRunningHash } from "../running-hash.js";
import type { TopicMessage } from "../state.js";
import { requireSignature, type TransactionHandler } from "./context.js";

/** `consensus.message.maxBytesAllowed`: the largest message (chunk) one transaction may carry. */
export const MAX_MESSAGE_BYTES = 1_024;

/** ConsensusSubmitMessage's pure checks, answered at precheck: a topic id and a non-empty message. */
export function precheckSubmitMessage(body: proto.ITransactionBody): void {
  const op = body.consensusSubmitMessage!;
  if (!topicIdOf(op.topicID)) fail(Status.INVALID_TOPIC_ID);
  if (!op.message?.length) fail(Status.INVALID_TOPIC_MESSAGE);
}

/**
 * The chunk rules of ConsensusSubmitMessageHandler.validateChunkInfo: `number` in 1..total; the
 * initial transaction id has this transaction's payer; chunk 1's initial id is this transaction's id.
 */
function validateChunkInfo(body: proto.ITransactionBody, chunk: proto.IConsensusMessageChunkInfo): void {
  const number = chunk.number ?? 0;
  const total = chunk.total ?? 0;
  if (!(1 <= number && number <= total)) fail(Status.INVALID_CHUNK_NUMBER, `chunk ${number} of ${total}`);
  const initial = chunk.initialTransactionID;
  if (accountIdOf(initial?.accountID) !== accountIdOf(body.transactionID?.accountID)) fail(Status.INVALID_CHUNK_TRANSACTION_ID, "initial transaction id has another payer");
  if (number === 1 && (!initial || transactionIdKey(initial) !== transactionIdKey(body.transactionID))) fail(Status.INVALID_CHUNK_TRANSACTION_ID, "chunk 1 must carry its own transaction id");
}

/**
 * ConsensusSubmitMessage: appends a message (or one chunk of one) to a topic, advancing its
 * sequence number and v3 running hash (running-hash.ts). Checks in Hedera's order: the topic exists
 * and its submit key signed (preHandle), then message size and chunk info (handle).
 */
export const consensusSubmitMessage: TransactionHandler = (ctx) => {
  const op = ctx.body.consensusSubmitMessage!;
  precheckSubmitMessage(ctx.body);
  const topicId = topicIdOf(op.topicID)!;
  const topic = ctx.state.topics.get(topicId) ?? fail(Status.INVALID_TOPIC_ID, topicId);
  if (topic.submitKey) requireSignature(ctx, topic.submitKey, `submit key of topic ${topicId}`);
  const message = Uint8Array.from(op.message!);
  if (message.length > MAX_MESSAGE_BYTES) fail(Status.MESSAGE_SIZE_TOO_LARGE, `${message.length} bytes (max ${MAX_MESSAGE_BYTES})`);
  if (op.chunkInfo) validateChunkInfo(ctx.body, op.chunkInfo);

  const sequenceNumber = topic.sequenceNumber + 1n;
  // The running hash names the transaction id's account (Java: txn.transactionID().accountID()).
  const payer = accountIdOf(ctx.body.transactionID?.accountID) ?? ctx.payer;
  const runningHash = nextRunningHash({
    previousRunningHash: topic.runningHash,
    payer,
    topic: topicId,
    consensusNanos: ctx.consensusNanos,
    sequenceNumber,
    message,
  });
  topic.sequenceNumber = sequenceNumber;
  topic.runningHash = runningHash;
  const stored: TopicMessage = {
    topicId,
    sequenceNumber,
    consensusNanos: ctx.consensusNanos,
    message,
    runningHash,
    runningHashVersion: RUNNING_HASH_VERSION,
    payer: ctx.payer,
    transactionId: ctx.body.transactionID!,
    ...(op.chunkInfo
      ? { chunkInfo: { initialTransactionId: op.chunkInfo.initialTransactionID ?? {}, number: op.chunkInfo.number ?? 0, total: op.chunkInfo.total ?? 0 } }
      : {}),
  };
  topic.messages.push(stored);
  ctx.receipt.topicSequenceNumber = toLong(sequenceNumber);
  ctx.receipt.topicRunningHash = runningHash;
  ctx.receipt.topicRunningHashVersion = toLong(BigInt(RUNNING_HASH_VERSION));
  ctx.publishTopicMessage(stored);
};
