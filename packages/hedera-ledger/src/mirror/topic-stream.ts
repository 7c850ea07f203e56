import type * as grpc from "@grpc/grpc-js";
import { com, proto } from "@hashgraph/proto";
import { nanosToTimestamp, timestampToNanos, toBigInt, toLong, topicIdOf } from "../codec.js";
import type { Ledger } from "../ledger.js";
import type { TopicMessage } from "../state.js";

const toResponse = (m: TopicMessage) =>
  com.hedera.mirror.api.proto.ConsensusTopicResponse.encode({
    consensusTimestamp: nanosToTimestamp(m.consensusNanos),
    message: m.message,
    runningHash: m.runningHash,
    sequenceNumber: toLong(m.sequenceNumber),
    runningHashVersion: toLong(BigInt(m.runningHashVersion)),
    ...(m.chunkInfo ? { chunkInfo: { initialTransactionID: m.chunkInfo.initialTransactionId, number: m.chunkInfo.number, total: m.chunkInfo.total } } : {}),
  }).finish();

/**
 * The mirror node's `subscribeTopic` (what `TopicMessageQuery.subscribe` calls): replays the
 * stored messages from `consensusStartTime`, then streams new ones as they reach consensus, until
 * `consensusEndTime` or `limit` (both optional) or the client cancels.
 */
export function subscribeTopic(ledger: Ledger) {
  return (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
    let query: com.hedera.mirror.api.proto.ConsensusTopicQuery;
    try {
      query = com.hedera.mirror.api.proto.ConsensusTopicQuery.decode(call.request);
    } catch {
      call.destroy(Object.assign(new Error("malformed ConsensusTopicQuery"), { code: 3 }));
      return;
    }
    const topicId = topicIdOf(query.topicID);
    const topic = topicId ? ledger.state.topics.get(topicId) : undefined;
    if (!topic) {
      call.destroy(Object.assign(new Error(`topic ${topicId ?? "(none)"} does not exist`), { code: 5 /* NOT_FOUND */ }));
      return;
    }
    const start = timestampToNanos(query.consensusStartTime);
    const end = query.consensusEndTime ? timestampToNanos(query.consensusEndTime) : undefined;
    const limit = toBigInt(query.limit);
    let sent = 0n;
    let closed = false;
    const stop = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      call.end();
    };
    const send = (m: TopicMessage) => {
      if (closed || m.topicId !== topicId || m.consensusNanos < start) return;
      if (end !== undefined && m.consensusNanos >= end) return stop();
      call.write(Buffer.from(toResponse(m)));
      sent++;
      if (limit > 0n && sent >= limit) stop();
    };
    const unsubscribe = ledger.onTopicMessage(send);
    call.on("cancelled", stop);
    for (const m of topic.messages) send(m);
    if (end !== undefined && end <= ledger.state.lastConsensusNanos) stop();
  };
}

/** The mirror's address book stream (`getNodes`): this one node. */
export function getNodes(ledger: Ledger, address: () => { host: string; port: number }) {
  return (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
    const endpoint = address();
    const [, , num] = ledger.nodeAccountId.split(".");
    call.write(
      Buffer.from(
        proto.NodeAddress.encode({
          nodeId: toLong(BigInt(num!) - 3n),
          nodeAccountId: { shardNum: toLong(0n), realmNum: toLong(0n), accountNum: toLong(BigInt(num!)) },
          serviceEndpoint: [{ ipAddressV4: Uint8Array.from(endpoint.host.split(".").map(Number)), port: endpoint.port }],
        }).finish(),
      ),
    );
    call.end();
  };
}
