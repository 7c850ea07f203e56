import { afterAll, describe, expect, it } from "vitest";
import type { MinerHostProvider, MinerHostSpec, MinerHostStatus } from "../../src/index.js";
import { uniqueAccountId } from "../fixtures.js";

/** What the contract needs around a provider: how to tell that a miner answers, and what the backend holds. */
export interface MinerHostHarness {
  provider: MinerHostProvider;
  spec: MinerHostSpec;
  /** Whether a miner answers at `endpoint` (`GET /health` for real providers). */
  reachable(endpoint: string): Promise<boolean>;
  /** Ids of the hosts the provider's backend holds now (VMs listed, processes alive). */
  liveHosts(): Promise<string[]>;
  /** Makes the next provision fail in the backend; the contract checks that nothing is left behind. */
  failNextProvision(): void | Promise<void>;
  /** How long a host may take to come up. */
  bootTimeoutMs: number;
  close?(): Promise<void>;
}

let names = 0;
const uniqueName = () => `tn-contract-${process.pid}-${Date.now().toString(36)}-${names++}`;

async function untilRunning(provider: MinerHostProvider, hostId: string, timeoutMs: number): Promise<MinerHostStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await provider.status(hostId);
    if (status.state === "running" && status.endpoint) return status;
    if (status.state === "failed" || status.state === "gone") throw new Error(`host ${hostId} is ${status.state}: ${status.detail ?? ""}`);
    if (Date.now() > deadline) throw new Error(`host ${hostId} not running after ${timeoutMs} ms (${status.state})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * What every MinerHostProvider must do (see the port): provision without blocking, come up at an
 * endpoint where a miner answers, provision idempotently by name, destroy idempotently, report
 * unknown hosts as gone, and leave nothing behind when provisioning fails.
 */
export function minerHostProviderContract(label: string, makeHarness: () => Promise<MinerHostHarness>, options: { timeoutMs?: number } = {}): void {
  describe(`MinerHostProvider contract (${label})`, () => {
    const harnesses: MinerHostHarness[] = [];
    const make = async () => {
      const harness = await makeHarness();
      harnesses.push(harness);
      return harness;
    };
    afterAll(async () => {
      for (const h of harnesses) await h.close?.();
    });
    const timeout = options.timeoutMs ?? 30_000;

    it("provisions a host that comes up with a miner at its endpoint, and destroys it", async () => {
      const h = await make();
      const created = await h.provider.provision({ accountId: uniqueAccountId(), name: uniqueName(), spec: h.spec });
      expect(created.hostId).toMatch(/\S/);
      expect(await h.liveHosts()).toContain(created.hostId);
      const running = await untilRunning(h.provider, created.hostId, h.bootTimeoutMs);
      expect(running).toMatchObject({ hostId: created.hostId, state: "running" });
      expect(running.endpoint).toMatch(/^https?:\/\//);
      expect(await h.reachable(running.endpoint!)).toBe(true);

      await h.provider.destroy(created.hostId);
      expect(await h.liveHosts()).not.toContain(created.hostId);
      expect((await h.provider.status(created.hostId)).state).toBe("gone");
    }, timeout);

    it("returns the same host when the same name is provisioned again", async () => {
      const h = await make();
      const request = { accountId: uniqueAccountId(), name: uniqueName(), spec: h.spec };
      const first = await h.provider.provision(request);
      const second = await h.provider.provision(request);
      try {
        expect(second.hostId).toBe(first.hostId);
        expect((await h.liveHosts()).filter((id) => id === first.hostId)).toHaveLength(1);
      } finally {
        await h.provider.destroy(first.hostId);
      }
    }, timeout);

    it("destroys idempotently and reports unknown hosts as gone", async () => {
      const h = await make();
      const created = await h.provider.provision({ accountId: uniqueAccountId(), name: uniqueName(), spec: h.spec });
      await h.provider.destroy(created.hostId);
      await expect(h.provider.destroy(created.hostId)).resolves.toBeUndefined();
      const unknown = `${created.hostId}-unknown`;
      await expect(h.provider.destroy(unknown)).resolves.toBeUndefined();
      expect(await h.provider.status(unknown)).toMatchObject({ hostId: unknown, state: "gone", endpoint: null });
    }, timeout);

    it("leaves no host behind when provisioning fails", async () => {
      const h = await make();
      const before = await h.liveHosts();
      await h.failNextProvision();
      await expect(h.provider.provision({ accountId: uniqueAccountId(), name: uniqueName(), spec: h.spec })).rejects.toThrow();
      expect(await h.liveHosts()).toEqual(before);
    }, timeout);
  });
}
