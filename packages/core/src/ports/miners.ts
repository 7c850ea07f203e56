import type { MinerHealth, MinerRecord } from "../miners/miner.js";

/** Registered miners and their health (DynamoDB). */
export interface MinerDirectory {
  list(): Promise<MinerRecord[]>;
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
