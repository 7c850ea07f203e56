export interface MinerHealth {
  healthy: boolean;
  lastProbeAt: string;
  latencyMs: number;
  consecutiveFailures: number;
  lastError?: string;
  /** Probes so far and how many succeeded: the miner's availability, which routing and scoring read. */
  probes?: number;
  successes?: number;
}

/** Share of probes a miner answered (1 before its first probe). */
export const availabilityOf = (health: MinerHealth | undefined): number => (health?.probes ? (health.successes ?? 0) / health.probes : 1);

export type Modality = "llm" | "embeddings" | "stt" | "tts" | "translation" | "vision";

export interface MinerModel {
  id: string;
  modality: Modality;
  /** Price in tinybars per unit of the modality (tokens, audio seconds, characters, images). */
  pricePerUnit: string;
  /** Context window in tokens, for language models. */
  contextLength?: number;
  /** The longest completion the miner generates, for language models; it refuses a larger `max_tokens`. */
  maxCompletionTokens?: number;
}

export interface MinerRecord {
  /** The miner's Hedera account id. */
  minerId: string;
  endpoint: string;
  models?: MinerModel[];
  registeredAt?: string;
  lastHeartbeatAt?: string;
  health?: MinerHealth;
  /** The host the network provisioned for this miner, torn down when it deregisters. */
  host?: MinerHostBinding;
}

/** Which provider's host a hosted miner runs on (`POST /v1/miners/hosts`). */
export interface MinerHostBinding {
  provider: string;
  hostId: string;
}
