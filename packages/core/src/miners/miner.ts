export interface MinerHealth {
  healthy: boolean;
  lastProbeAt: string;
  latencyMs: number;
  consecutiveFailures: number;
  lastError?: string;
}

export interface MinerRecord {
  /** The miner's Hedera account id. */
  minerId: string;
  endpoint: string;
  health?: MinerHealth;
}
