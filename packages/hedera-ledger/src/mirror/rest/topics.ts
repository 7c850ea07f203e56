import { accountIdOf, timestampToNanos, type Nanos } from "../../codec.js";
import type { Ledger } from "../../ledger.js";
import type { TopicMessage, TopicState } from "../../state.js";
import {
  acceptOnly,
  base64,
  compareBigInt,
  filters,
  invalidParameter,
  keyJson,
  limitOf,
  matches,
  mirrorTimestamp,
  nextLink,
  notFound,
  orderOf,
  parseEntityId,
  parseTimestamp,
  type RestRequest,
  type RestResponse,
} from "./common.js";

/**
 * Topics and their messages (the HCS audit trail): `GET /api/v1/topics/{id}`,
 * `/topics/{id}/messages`, `/topics/{id}/messages/{sequenceNumber}` and `/topics/messages/{timestamp}`.
 */

/** Fields other engineers' topic handlers may add to TopicState; read only if present. */
type TopicExtras = TopicState & { autoRenewPeriodSeconds?: bigint; autoRenewAccount?: string; deleted?: boolean; deletedNanos?: bigint };

const DEFAULT_AUTO_RENEW_SECONDS = 7_776_000n;

function topicIdParam(raw: string): string {
  const id = parseEntityId(raw);
  if (!id) throw invalidParameter("topic.id");
  return id;
}

/** The mirror's TopicMessage. `encoding=utf-8` returns the message as text instead of base64. */
export function messageJson(m: TopicMessage, encoding: "base64" | "utf-8" = "base64") {
  const initial = m.chunkInfo?.initialTransactionId;
  return {
    chunk_info: m.chunkInfo
      ? {
          initial_transaction_id: {
            account_id: accountIdOf(initial?.accountID) ?? null,
            nonce: initial?.nonce ?? 0,
            scheduled: Boolean(initial?.scheduled),
            transaction_valid_start: mirrorTimestamp(timestampToNanos(initial?.transactionValidStart)),
          },
          number: m.chunkInfo.number,
          total: m.chunkInfo.total,
        }
      : null,
    consensus_timestamp: mirrorTimestamp(m.consensusNanos),
    message: encoding === "utf-8" ? Buffer.from(m.message).toString("utf8") : base64(m.message),
    payer_account_id: m.payer,
    running_hash: base64(m.runningHash),
    running_hash_version: m.runningHashVersion,
    sequence_number: m.sequenceNumber,
    topic_id: m.topicId,
  };
}

/** `GET /api/v1/topics/{topicId}`. */
export function getTopic(request: RestRequest, raw: string): RestResponse {
  acceptOnly(request.query, []);
  const topic = request.ledger.state.topics.get(topicIdParam(raw)) as TopicExtras | undefined;
  if (!topic) throw notFound();
  const deleted = Boolean(topic.deleted ?? topic.deletedNanos !== undefined);
  return {
    body: {
      admin_key: keyJson(topic.adminKey),
      auto_renew_account: topic.autoRenewAccount ?? null,
      auto_renew_period: topic.autoRenewPeriodSeconds ?? DEFAULT_AUTO_RENEW_SECONDS,
      created_timestamp: mirrorTimestamp(topic.createdNanos),
      custom_fees: { created_timestamp: mirrorTimestamp(topic.createdNanos), fixed_fees: [] },
      deleted,
      fee_exempt_key_list: [],
      fee_schedule_key: null,
      memo: topic.memo,
      submit_key: keyJson(topic.submitKey),
      timestamp: { from: mirrorTimestamp(topic.createdNanos), to: null },
      topic_id: topic.id,
    },
  };
}

function existingTopic(ledger: Ledger, raw: string): TopicState {
  const topic = ledger.state.topics.get(topicIdParam(raw));
  if (!topic) throw notFound(`No such topic id - ${raw}`);
  return topic;
}

function encodingOf(query: URLSearchParams): "base64" | "utf-8" {
  const raw = query.getAll("encoding").at(-1);
  if (raw === undefined) return "base64";
  const encoding = raw.toLowerCase();
  if (encoding !== "base64" && encoding !== "utf-8") throw invalidParameter("encoding");
  return encoding;
}

/**
 * `GET /api/v1/topics/{topicId}/messages?sequencenumber=&timestamp=&limit=&order=&encoding=`.
 * Pages by consensus timestamp (`links.next` carries `timestamp=gt:<last>`, or `lt:` descending).
 */
export function topicMessages(request: RestRequest, raw: string): RestResponse {
  const { query, ledger } = request;
  acceptOnly(query, ["sequencenumber", "timestamp", "limit", "order", "encoding"]);
  const topic = existingTopic(ledger, raw);
  const sequenceNumbers = filters(query, "sequencenumber", (v) => (/^\d{1,19}$/.test(v) ? BigInt(v) : undefined));
  const timestamps = filters(query, "timestamp", parseTimestamp);
  const limit = limitOf(query);
  const order = orderOf(query, "asc");
  const encoding = encodingOf(query);

  const page: TopicMessage[] = [];
  const messages = topic.messages;
  for (let n = 0; n < messages.length && page.length < limit; n++) {
    const m = messages[order === "asc" ? n : messages.length - 1 - n]!;
    if (matches(m.sequenceNumber, sequenceNumbers, compareBigInt) && matches(m.consensusNanos, timestamps, compareBigInt)) page.push(m);
  }
  const last = page.at(-1);
  return {
    body: {
      messages: page.map((m) => messageJson(m, encoding)),
      links: { next: nextLink(request, page.length === limit, "timestamp", last ? mirrorTimestamp(last.consensusNanos)! : undefined, order) },
    },
  };
}

/** `GET /api/v1/topics/{topicId}/messages/{sequenceNumber}`. */
export function topicMessage(request: RestRequest, raw: string, sequenceRaw: string): RestResponse {
  acceptOnly(request.query, []);
  const badTopic = !parseEntityId(raw);
  const badSequence = !/^\d{1,19}$/.test(sequenceRaw);
  if (badTopic || badSequence) throw invalidParameter(...[badTopic ? "topic.id" : "", badSequence ? "sequencenumber" : ""].filter(Boolean));
  const topic = existingTopic(request.ledger, raw);
  const sequenceNumber = BigInt(sequenceRaw);
  // Sequence numbers start at 1 and are dense, so message n is at index n - 1.
  const m = sequenceNumber >= 1n && sequenceNumber <= BigInt(topic.messages.length) ? topic.messages[Number(sequenceNumber - 1n)] : undefined;
  const found = m?.sequenceNumber === sequenceNumber ? m : topic.messages.find((x) => x.sequenceNumber === sequenceNumber);
  if (!found) throw notFound();
  return { body: messageJson(found) };
}

/** `GET /api/v1/topics/messages/{consensusTimestamp}`. */
export function messageByTimestamp(request: RestRequest, raw: string): RestResponse {
  acceptOnly(request.query, []);
  const nanos: Nanos | undefined = parseTimestamp(raw);
  if (nanos === undefined) throw invalidParameter("consensus_timestamp");
  for (const topic of request.ledger.state.topics.values()) {
    const found = topic.messages.find((m) => m.consensusNanos === nanos);
    if (found) return { body: messageJson(found) };
  }
  throw notFound();
}
