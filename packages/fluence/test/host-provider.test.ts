import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DomainError } from "@tensornode/core";
import { minerHostProviderContract } from "@tensornode/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluenceClient } from "../src/fluence-client.js";
import { FluenceHostProvider, MINER_CONFIG_ENV } from "../src/host-provider.js";
import { FakeFluenceServer } from "./fluence-server.js";

/**
 * FluenceHostProvider against the local Fluence protocol server: the core's host-provider
 * contract, plus the Fluence-specific refusals and the cloud-init it sends.
 */
let miner: Server;
let minerPort: number;
beforeAll(async () => {
  // Stands in for the miner container on the "VM" (the fake gives every VM the address 127.0.0.1).
  miner = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => miner.listen(0, "127.0.0.1", resolve));
  minerPort = (miner.address() as AddressInfo).port;
});
afterAll(async () => {
  miner.closeAllConnections();
  await new Promise((resolve) => miner.close(resolve));
});

const models = [
  { id: "stories260K", modality: "llm" as const, pricePerUnit: "11" },
  { id: "use-lite-512", modality: "embeddings" as const, pricePerUnit: "2" },
];
const dispatchEnv = { TENSORNODE_DISPATCH_ACCOUNT: "0.0.1234", TENSORNODE_DISPATCH_PUBLIC_KEY: "ab".repeat(32), TENSORNODE_DISPATCH_KEY_TYPE: "ED25519" };

async function fluence(serverOptions: ConstructorParameters<typeof FakeFluenceServer>[0] = {}) {
  const server = new FakeFluenceServer({ apiKey: "k", pollsInNew: 1, pollsInLaunching: 1, ...serverOptions });
  await server.start();
  const client = new FluenceClient({ apiKey: "k", baseUrl: server.url, timeoutMs: 2_000, backoffMs: 1 });
  const provider = new FluenceHostProvider({ client, image: "ghcr.io/tensornode/miner:0.1.0", port: minerPort, sshKeys: ["ssh-ed25519 AAAAtest"], minerEnv: dispatchEnv });
  return { server, client, provider };
}

minerHostProviderContract("Fluence, local protocol server", async () => {
  const { server, provider } = await fluence();
  return {
    provider,
    spec: { models },
    reachable: async (endpoint) => (await fetch(`${endpoint}/health`)).ok,
    liveHosts: async () => [...server.vms.keys()],
    // The create deploys the VM and then answers 500: the provider must find it by name and delete it.
    failNextProvision: () => server.failRouteOnce("POST /vms/v3", 500, "upstream error", { afterHandling: true }),
    bootTimeoutMs: 5_000,
    close: () => server.stop(),
  };
});

describe("FluenceHostProvider specifics", () => {
  it("boots the VM with a cloud-init that runs the image on the port with the dispatch env and the prices", async () => {
    const { server, provider } = await fluence();
    try {
      const { hostId } = await provider.provision({ accountId: "0.0.77", name: "tn-miner-abc", spec: { models } });
      const userData = server.userDataOf(hostId)!;
      expect(userData).toContain('["docker", "pull", "ghcr.io/tensornode/miner:0.1.0"]');
      expect(userData).toContain(`"-p", "${minerPort}:${minerPort}"`);
      expect(userData).toContain(`PORT=${minerPort}`);
      expect(userData).toContain("TENSORNODE_DISPATCH_ACCOUNT=0.0.1234");
      expect(userData).toContain(`${MINER_CONFIG_ENV}={"llm":{"price":{"unit":"token","tinybarsPerUnit":"11"}},"embeddings":{"price":{"unit":"token","tinybarsPerUnit":"2"}}}`);
      const create = server.requests.find((r) => r.method === "POST" && r.path === "/vms/v3")!;
      expect(create.body).toMatchObject({ instances: 1, vmConfiguration: { name: "tn-miner-abc", openPorts: [{ port: 22 }, { port: minerPort }] } });
    } finally {
      await server.stop();
    }
  });

  it("turns documented refusals into permanent DomainErrors with nothing created", async () => {
    const { server, provider } = await fluence({ offers: [] });
    try {
      const refused = provider.provision({ accountId: "0.0.77", name: "tn-miner-none", spec: { models } });
      await expect(refused).rejects.toBeInstanceOf(DomainError);
      await expect(refused).rejects.toThrow(/No suitable offer found/);
      expect(server.vms.size).toBe(0);
    } finally {
      await server.stop();
    }
    const wrongKey = await fluence({ apiKey: "other" });
    try {
      await expect(wrongKey.provider.provision({ accountId: "0.0.77", name: "tn-miner-key", spec: { models } })).rejects.toThrow(/403/);
      expect(wrongKey.server.vms.size).toBe(0);
    } finally {
      await wrongKey.server.stop();
    }
  });

  it("refuses a bad port or image before calling Fluence, and requires an SSH key", async () => {
    const { server, client, provider } = await fluence();
    try {
      await expect(provider.provision({ accountId: "0.0.77", name: "tn-a", spec: { models, port: 22 } })).rejects.toMatchObject({ code: "invalid_request" });
      await expect(provider.provision({ accountId: "0.0.77", name: "tn-a", spec: { models, image: "bad image" } })).rejects.toMatchObject({ code: "invalid_request" });
      await expect(provider.provision({ accountId: "0.0.77", name: "tn_a", spec: { models } })).rejects.toMatchObject({ code: "invalid_request" });
      const noKeys = new FluenceHostProvider({ client, image: "ghcr.io/tensornode/miner:0.1.0", sshKeys: [], minerEnv: {} });
      await expect(noKeys.provision({ accountId: "0.0.77", name: "tn-a", spec: { models } })).rejects.toMatchObject({ code: "unavailable" });
      expect(server.requests).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("reports New/Launching as starting, Active as running, and a VM stopped by the provider as failed", async () => {
    const { server, provider } = await fluence({ pollsInNew: 1, pollsInLaunching: 1 });
    try {
      const { hostId } = await provider.provision({ accountId: "0.0.77", name: "tn-miner-st", spec: { models } });
      const states = [];
      for (let i = 0; i < 4; i++) states.push((await provider.status(hostId)).state);
      expect(states).toContain("starting");
      expect(states.at(-1)).toBe("running");
      expect((await provider.status(hostId)).endpoint).toBe(`http://127.0.0.1:${minerPort}`);
      server.vms.get(hostId)!.vm.status = "Terminated";
      expect(await provider.status(hostId)).toMatchObject({ state: "failed", detail: "VM is Terminated" });
    } finally {
      await server.stop();
    }
  });

  it("retries a rate-limited status poll and a 5xx delete (safe to repeat)", async () => {
    const { server, provider } = await fluence();
    try {
      const { hostId } = await provider.provision({ accountId: "0.0.77", name: "tn-miner-rl", spec: { models } });
      server.rateLimitOnce(0);
      expect((await provider.status(hostId)).state).not.toBe("gone");
      server.failRouteOnce("DELETE /vms/v3", 503);
      await provider.destroy(hostId);
      expect(server.vms.size).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
