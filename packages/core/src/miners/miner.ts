export interface MinerHealth {
  healthy: boolean;
  lastProbeAt: string;
  latencyMs: number;
  consecutiveFailures: number;
  lastError?: string;
}

export type Modality = "llm" | "embeddings" | "stt" | "tts" | "translation" | "vision";

export interface MinerModel {
  id: string;
  modality: Modality;
  /** Price in tinybars per unit of the modality (tokens, audio seconds, characters, images). */
  pricePerUnit: string;
}

export interface MinerRecord {
  /** The miner's Hedera account id. */
  minerId: string;
  endpoint: string;
  models?: MinerModel[];
  registeredAt?: string;
  lastHeartbeatAt?: string;
  health?: MinerHealth;
}
