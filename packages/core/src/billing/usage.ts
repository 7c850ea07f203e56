import type { Modality } from "../miners/miner.js";

/** What one unit of each modality is; prices are tinybars per unit. */
export type UsageUnit = "token" | "second" | "character" | "image";

export const UNIT_OF: Record<Modality, UsageUnit> = {
  llm: "token",
  embeddings: "token",
  stt: "second",
  tts: "character",
  translation: "character",
  vision: "image",
};

export interface UsageRecord {
  /** The request id (synchronous calls, streams) or the job id: charging is idempotent on it. */
  id: string;
  ownerId: string;
  keyId: string;
  /** The key's hash, so the ledger can add to the key's spent total. Never leaves the system. */
  keyHash: string;
  operation: string;
  model: string;
  modality: Modality;
  minerId: string;
  unit: UsageUnit;
  units: number;
  pricePerUnit: bigint;
  cost: bigint;
  source: "sync" | "stream" | "job";
  createdAt: string;
}

/** Integer arithmetic only: a fractional unit is not possible here (units are whole numbers). */
export function costOf(units: number, pricePerUnit: bigint): bigint {
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`units must be a non-negative integer, got ${units}`);
  return BigInt(units) * pricePerUnit;
}

export function publicUsage(record: UsageRecord) {
  return {
    object: "usage" as const,
    id: record.id,
    operation: record.operation,
    model: record.model,
    modality: record.modality,
    miner_id: record.minerId,
    key_id: record.keyId,
    unit: record.unit,
    units: record.units,
    price_per_unit: record.pricePerUnit.toString(),
    cost: record.cost.toString(),
    currency: "tinybar" as const,
    source: record.source,
    created_at: record.createdAt,
  };
}
