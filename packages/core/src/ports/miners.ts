import type { MinerHealth, MinerRecord } from "../miners/miner.js";

/** Registered miners and their health (DynamoDB). */
export interface MinerDirectory {
  list(): Promise<MinerRecord[]>;
  get(minerId: string): Promise<MinerRecord | null>;
  /** Registers a miner, or replaces its registration (health is kept only if given). */
  put(miner: MinerRecord): Promise<void>;
  /** Records a heartbeat; false when the miner is not registered. */
  touch(minerId: string, at: Date): Promise<boolean>;
  remove(minerId: string): Promise<void>;
  recordHealth(minerId: string, health: MinerHealth): Promise<void>;
}

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** Checks one miner endpoint (HTTP `GET <endpoint>/health`). Never throws: failures are results. */
export interface MinerProbe {
  check(endpoint: string, timeoutMs: number): Promise<ProbeResult>;
}
