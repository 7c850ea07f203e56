import { describe, expect, it } from "vitest";
import type { MinerDirectory, MinerHealth, MinerRecord } from "../../src/index.js";
import { aMiner } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** Kept for existing imports: registration is part of the port now. */
export type WritableMinerDirectory = MinerDirectory;

const health = (overrides: Partial<MinerHealth> = {}): MinerHealth => ({
  healthy: false,
  lastProbeAt: "2030-01-01T00:00:00.000Z",
  latencyMs: 3000,
  consecutiveFailures: 2,
  lastError: "timeout after 3000 ms",
  ...overrides,
});

/**
 * What every MinerDirectory must do. `list()` returns every miner of the table, so each test
 * looks only at the miners it registered: directories may share one table.
 */
export function minerDirectoryContract(makeDirectory: Make<WritableMinerDirectory>): void {
  describe("MinerDirectory contract", () => {
    const find = async (directory: MinerDirectory, minerId: string) => (await directory.list()).filter((m) => m.minerId === minerId);

    it("lists a registered miner, without health until probed", async () => {
      const directory = await makeDirectory();
      const miner = aMiner();
      await directory.put(miner);
      expect(await find(directory, miner.minerId)).toEqual([miner]);
    });

    it("replaces a miner registered again", async () => {
      const directory = await makeDirectory();
      const miner = aMiner();
      await directory.put(miner);
      await directory.put({ ...miner, endpoint: "https://miner.example/v2" });
      expect(await find(directory, miner.minerId)).toEqual([{ ...miner, endpoint: "https://miner.example/v2" }]);
    });

    it("records health on a miner, replacing the previous health", async () => {
      // Prepare
      const directory = await makeDirectory();
      const miner = aMiner();
      await directory.put(miner);
      await directory.recordHealth(miner.minerId, health());
      const latest = { healthy: true, lastProbeAt: "2030-01-01T00:01:00.000Z", latencyMs: 12, consecutiveFailures: 0 };
      // Act
      await directory.recordHealth(miner.minerId, latest);
      // Assess
      expect(await find(directory, miner.minerId)).toEqual([{ ...miner, health: latest }]);
    });

    it("gets, heartbeats and removes a registered miner", async () => {
      const directory = await makeDirectory();
      const miner = { ...aMiner(), models: [{ id: "stories260k", modality: "llm" as const, pricePerUnit: "10" }], registeredAt: "2030-01-01T00:00:00.000Z" };
      await directory.put(miner);
      expect(await directory.get(miner.minerId)).toEqual(miner);
      expect(await directory.touch(miner.minerId, new Date("2030-01-01T00:05:00.000Z"))).toBe(true);
      expect((await directory.get(miner.minerId))?.lastHeartbeatAt).toBe("2030-01-01T00:05:00.000Z");
      await directory.remove(miner.minerId);
      expect(await directory.get(miner.minerId)).toBeNull();
      expect(await find(directory, miner.minerId)).toEqual([]);
      expect(await directory.touch(miner.minerId, new Date())).toBe(false);
    });

    it("keeps the host binding of a hosted miner through health and heartbeats", async () => {
      const directory = await makeDirectory();
      const miner = { ...aMiner(), host: { provider: "fluence", hostId: "0xCbfC0000000000000000000000000000000000aa" } };
      await directory.put(miner);
      await directory.recordHealth(miner.minerId, health());
      await directory.touch(miner.minerId, new Date("2030-01-01T00:05:00.000Z"));
      expect(await directory.get(miner.minerId)).toEqual({ ...miner, health: health(), lastHeartbeatAt: "2030-01-01T00:05:00.000Z" });
      expect((await find(directory, miner.minerId))[0]?.host).toEqual(miner.host);
    });

    it("drops health for a miner that is not registered, without registering it", async () => {
      const directory = await makeDirectory();
      const miner = aMiner();
      await expect(directory.recordHealth(miner.minerId, health())).resolves.toBeUndefined();
      expect(await find(directory, miner.minerId)).toEqual([]);
    });
  });
}
