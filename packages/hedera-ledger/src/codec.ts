import { proto } from "@hashgraph/proto";
import Long from "long";

/**
 * Conversions between the protobuf shapes the SDK sends (Long, nested ids) and the ledger's own
 * plain values (bigint amounts, "0.0.N" entity ids, bigint nanosecond timestamps).
 */
export const Status = proto.ResponseCodeEnum;
export type Status = proto.ResponseCodeEnum;

/** Thrown by any ledger step to refuse a transaction or query with a Hedera status code. */
export class LedgerError extends Error {
  constructor(readonly status: Status, detail?: string) {
    super(`${Status[status]}${detail ? `: ${detail}` : ""}`);
    this.name = "LedgerError";
  }
}

export const fail = (status: Status, detail?: string): never => {
  throw new LedgerError(status, detail);
};

export const toBigInt = (value: Long | number | null | undefined): bigint =>
  value === null || value === undefined ? 0n : typeof value === "number" ? BigInt(value) : BigInt(value.toString());

export const toLong = (value: bigint): Long => Long.fromString(value.toString());

type EntityIdLike = { shardNum?: Long | null; realmNum?: Long | null } & Record<string, unknown>;

/** `0.0.1234` from an AccountID/TokenID/TopicID/ScheduleID; `numField` names its number field. */
export function entityId(id: EntityIdLike | null | undefined, numField: "accountNum" | "tokenNum" | "topicNum" | "scheduleNum"): string | undefined {
  if (!id) return undefined;
  const num = id[numField] as Long | null | undefined;
  if (num === null || num === undefined) return undefined;
  return `${toBigInt(id.shardNum)}.${toBigInt(id.realmNum)}.${toBigInt(num)}`;
}

export const accountIdOf = (id: proto.IAccountID | null | undefined) => entityId(id as EntityIdLike, "accountNum");
export const tokenIdOf = (id: proto.ITokenID | null | undefined) => entityId(id as EntityIdLike, "tokenNum");
export const topicIdOf = (id: proto.ITopicID | null | undefined) => entityId(id as EntityIdLike, "topicNum");
export const scheduleIdOf = (id: proto.IScheduleID | null | undefined) => entityId(id as EntityIdLike, "scheduleNum");

function parts(id: string) {
  const [shard, realm, num] = id.split(".").map((p) => Long.fromString(p));
  return { shardNum: shard!, realmNum: realm! , num: num! };
}
export const accountIdProto = (id: string): proto.IAccountID => { const p = parts(id); return { shardNum: p.shardNum, realmNum: p.realmNum, accountNum: p.num }; };
export const tokenIdProto = (id: string): proto.ITokenID => { const p = parts(id); return { shardNum: p.shardNum, realmNum: p.realmNum, tokenNum: p.num }; };
export const topicIdProto = (id: string): proto.ITopicID => { const p = parts(id); return { shardNum: p.shardNum, realmNum: p.realmNum, topicNum: p.num }; };
export const scheduleIdProto = (id: string): proto.IScheduleID => { const p = parts(id); return { shardNum: p.shardNum, realmNum: p.realmNum, scheduleNum: p.num }; };

/** Nanoseconds since the Unix epoch. */
export type Nanos = bigint;
export const NANOS_PER_SECOND = 1_000_000_000n;

export const timestampToNanos = (t: proto.ITimestamp | null | undefined): Nanos => (t ? toBigInt(t.seconds) * NANOS_PER_SECOND + BigInt(t.nanos ?? 0) : 0n);
export const nanosToTimestamp = (n: Nanos): proto.ITimestamp => ({ seconds: toLong(n / NANOS_PER_SECOND), nanos: Number(n % NANOS_PER_SECOND) });
/** Mirror-node style `seconds.nanoseconds` (nanos zero-padded to 9 digits). */
export const nanosToMirror = (n: Nanos) => `${n / NANOS_PER_SECOND}.${String(n % NANOS_PER_SECOND).padStart(9, "0")}`;

/** The canonical key of a transaction id: `payer@seconds.nanos` plus `?scheduled` and `/nonce` as Hedera writes them. */
export function transactionIdKey(id: proto.ITransactionID | null | undefined): string {
  if (!id) return "";
  const start = timestampToNanos(id.transactionValidStart);
  return `${accountIdOf(id.accountID)}@${start / NANOS_PER_SECOND}.${String(start % NANOS_PER_SECOND).padStart(9, "0")}${id.scheduled ? "?scheduled" : ""}${id.nonce ? `/${id.nonce}` : ""}`;
}

/** Mirror REST form of a transaction id: `0.0.2-1700000000-000000001`. */
export function mirrorTransactionId(id: proto.ITransactionID): string {
  const start = timestampToNanos(id.transactionValidStart);
  return `${accountIdOf(id.accountID)}-${start / NANOS_PER_SECOND}-${String(start % NANOS_PER_SECOND).padStart(9, "0")}`;
}
