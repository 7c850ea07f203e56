import type { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, Status, accountIdProto, fail, nanosToTimestamp, toLong, topicIdOf, topicIdProto } from "../codec.js";
import type { Ledger } from "../ledger.js";

/** ConsensusGetTopicInfo (paid): memo, running hash, sequence number, keys, expiry, ledger id. */
export function topicInfo(ledger: Ledger, query: { topicID?: proto.ITopicID | null }) {
  const id = topicIdOf(query.topicID);
  const topic = (id ? ledger.state.topics.get(id) : undefined) ?? fail(Status.INVALID_TOPIC_ID);
  const autoRenew = topic.autoRenewPeriodSeconds ?? 0n;
  return {
    topicID: topicIdProto(topic.id),
    topicInfo: {
      memo: topic.memo,
      runningHash: topic.runningHash,
      sequenceNumber: toLong(topic.sequenceNumber),
      expirationTime: nanosToTimestamp(topic.createdNanos + autoRenew * NANOS_PER_SECOND),
      ...(topic.adminKey ? { adminKey: topic.adminKey } : {}),
      ...(topic.submitKey ? { submitKey: topic.submitKey } : {}),
      autoRenewPeriod: { seconds: toLong(autoRenew) },
      ...(topic.autoRenewAccount ? { autoRenewAccount: accountIdProto(topic.autoRenewAccount) } : {}),
      ledgerId: new Uint8Array([3]),
    } satisfies proto.IConsensusTopicInfo,
  };
}
