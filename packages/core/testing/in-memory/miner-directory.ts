import type { MinerDirectory, MinerHealth, MinerRecord } from "../../src/index.js";

/**
 * MinerDirectory in memory. Health for a miner that is not registered is dropped, so a miner
 * deregistered mid-probe stays deregistered.
 */
export class InMemoryMinerDirectory implements MinerDirectory {
  readonly #miners = new Map<string, MinerRecord>();

  async list(): Promise<MinerRecord[]> {
    return [...this.#miners.values()].sort((a, b) => (a.minerId < b.minerId ? -1 : a.minerId > b.minerId ? 1 : 0)).map((m) => structuredClone(m));
  }

  async put(miner: MinerRecord): Promise<void> {
    this.#miners.set(miner.minerId, structuredClone(miner));
  }

  async get(minerId: string): Promise<MinerRecord | null> {
    const miner = this.#miners.get(minerId);
    return miner ? structuredClone(miner) : null;
  }

  async touch(minerId: string, at: Date): Promise<boolean> {
    const miner = this.#miners.get(minerId);
    if (!miner) return false;
    miner.lastHeartbeatAt = at.toISOString();
    return true;
  }

  async remove(minerId: string): Promise<void> {
    this.#miners.delete(minerId);
  }

  async recordHealth(minerId: string, health: MinerHealth): Promise<void> {
    const miner = this.#miners.get(minerId);
    if (miner) this.#miners.set(minerId, { ...miner, health: { ...health } });
  }
}
