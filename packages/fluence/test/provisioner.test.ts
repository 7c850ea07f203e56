import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minerCloudInit } from "../src/cloud-init.js";
import { FluenceClient } from "../src/fluence-client.js";
import { deprovision, ProvisionError, provisionMinerVm, type ProvisionStep } from "../src/provisioner.js";
import { FakeFluenceServer } from "./fluence-server.js";

let miner: Server;
let minerPort: number;

beforeAll(async () => {
  // Stands in for the miner container: answers /health.
  miner = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404).end('{"ok":true}'));
  await new Promise<void>((resolve) => miner.listen(0, "127.0.0.1", resolve));
  minerPort = (miner.address() as AddressInfo).port;
});
afterAll(async () => {
  miner.closeAllConnections();
  await new Promise((resolve) => miner.close(resolve));
});

async function withFluence<T>(opts: ConstructorParameters<typeof FakeFluenceServer>[0], fn: (s: FakeFluenceServer, c: FluenceClient) => Promise<T>) {
  const server = new FakeFluenceServer({ apiKey: "k", ...opts });
  await server.start();
  try {
    return await fn(server, new FluenceClient({ apiKey: "k", baseUrl: server.url, timeoutMs: 1_000 }));
  } finally {
    await server.stop();
  }
}

const base = {
  image: "ghcr.io/tensornode/miner:0.1.0",
  sshKeys: ["ssh-ed25519 AAAAtest"],
  pollMs: 5,
};

describe("provisionMinerVm", () => {
  it("reaches Active + reachable over the real /health, reporting steps in order", async () => {
    await withFluence({ pollsInNew: 1, pollsInLaunching: 2 }, async (server, client) => {
      const steps: ProvisionStep[] = [];
      const result = await provisionMinerVm(client, {
        ...base,
        offerFilter: { datacenter: { countries: ["FR"] } },
        minerEnv: { PORT: String(minerPort), MINER_NAME: "m1" },
        waitTimeoutMs: 2_000,
        onProgress: (s) => steps.push(s),
      });
      expect(result).toMatchObject({ publicIp: "127.0.0.1", port: minerPort, url: `http://127.0.0.1:${minerPort}` });
      expect(result.vm.status).toBe("Active");
      expect(steps.map((s) => s.step)).toEqual(["creating", "created", "waiting", "waiting", "waiting", "active", "reachable"]);
      expect(steps.filter((s) => s.step === "waiting").map((s) => (s as { status: string }).status)).toEqual(["New", "Launching", "Launching"]);

      const create = server.requests.find((r) => r.method === "POST" && r.path === "/vms/v3")!;
      expect(create.body).toMatchObject({
        constraints: { datacenter: { countries: ["FR"] } },
        instances: 1,
        vmConfiguration: { name: "tensornode-miner", openPorts: [{ port: 22, protocol: "tcp" }, { port: minerPort, protocol: "tcp" }], sshKeys: base.sshKeys },
      });
      expect(server.userDataOf(result.vmId)).toContain(base.image);
      expect(server.vms.has(result.vmId)).toBe(true);

      await deprovision(client, result.vmId);
      expect(server.vms.has(result.vmId)).toBe(false);
      await deprovision(client, result.vmId); // already gone: not an error
    });
  });

  it("deletes the VM when it never becomes reachable in time", async () => {
    await withFluence({ pollsInLaunching: Infinity }, async (server, client) => {
      const steps: string[] = [];
      const err = await provisionMinerVm(client, { ...base, minerEnv: { PORT: "8080" }, waitTimeoutMs: 100, onProgress: (s) => steps.push(s.step) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProvisionError);
      expect(err).toMatchObject({ deleted: true });
      expect((err as Error).message).toMatch(/not reachable within 100 ms \(VM deleted\)$/);
      expect(steps.slice(-2)).toEqual(["deleting", "deleted"]);
      expect(server.vms.size).toBe(0);
      expect(server.requests.at(-1)).toMatchObject({ method: "DELETE", body: { vmIds: [(err as ProvisionError).vmId] } });
    });
  });

  it("deletes the VM when Active but the miner never answers", async () => {
    await withFluence({ pollsInNew: 0, pollsInLaunching: 0 }, async (server, client) => {
      const steps: string[] = [];
      const err = await provisionMinerVm(client, {
        ...base, minerEnv: {}, minerPort: 9, waitTimeoutMs: 80, reachable: async () => false, onProgress: (s) => steps.push(s.step),
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "ProvisionError", deleted: true });
      expect(steps).toContain("unreachable");
      expect(server.vms.size).toBe(0);
    });
  });
});

describe("minerCloudInit", () => {
  const text = minerCloudInit({ image: "ghcr.io/tensornode/miner:0.1.0", env: { HEDERA_ACCOUNT_ID: "0.0.1234", MODEL: "stories 260K" }, port: 8080 });

  it("is #cloud-config YAML with the expected top-level keys", () => {
    const lines = text.split("\n");
    expect(lines[0]).toBe("#cloud-config");
    const topLevel = lines.filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.split(":")[0]);
    expect(topLevel).toEqual(["package_update", "packages", "write_files", "runcmd"]);
    expect(text).not.toMatch(/\t/);
    // Every non-top-level line is indented list/map content.
    for (const line of lines.slice(1).filter((l) => l && !/^[a-z_]+:/.test(l))) expect(line).toMatch(/^ {2,}\S/);
    // runcmd entries are flow sequences of double-quoted strings.
    const runcmd = lines.slice(lines.indexOf("runcmd:") + 1).filter(Boolean);
    for (const line of runcmd) expect(line).toMatch(/^ {2}- \[("(?:[^"\\]|\\.)*"(, )?)+\]$/);
  });

  it("writes the env file and runs the image with it on the port", () => {
    expect(text).toMatch(/- path: "\/etc\/tensornode\/miner\.env"\n {4}permissions: "0600"/);
    expect(text).toContain("      HEDERA_ACCOUNT_ID=0.0.1234\n      MODEL=stories 260K\n      PORT=8080\n");
    expect(text).toContain('"--env-file", "/etc/tensornode/miner.env", "-p", "8080:8080", "ghcr.io/tensornode/miner:0.1.0"]');
    expect(text).toContain("then ufw allow 8080/tcp; fi");
    expect(text).toContain("  - docker.io");
  });

  it("is pure and rejects unsafe input", () => {
    expect(minerCloudInit({ image: "a/b:1", env: { X: "1" }, port: 8080 })).toBe(minerCloudInit({ image: "a/b:1", env: { X: "1" }, port: 8080 }));
    expect(() => minerCloudInit({ image: "a; rm -rf /", env: {}, port: 8080 })).toThrow(RangeError);
    expect(() => minerCloudInit({ image: "a/b", env: { "BAD-KEY": "1" }, port: 8080 })).toThrow(/env name/);
    expect(() => minerCloudInit({ image: "a/b", env: { K: "x\ninjected: true" }, port: 8080 })).toThrow(/line breaks/);
    expect(() => minerCloudInit({ image: "a/b", env: {}, port: 10250 })).toThrow(/reserved/);
  });
});
