import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MinerProbe } from "../../src/index.js";

type Make<T> = () => Promise<T> | T;

/** A miner stand-in: `/<behaviour>/health` answers as the behaviour says. */
function startMiner(): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    switch (req.url) {
      case "/up/health":
        return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      case "/empty/health":
        return res.writeHead(204).end();
      case "/down/health":
        return res.writeHead(500).end("internal error");
      case "/slow/health":
        return void setTimeout(() => res.writeHead(200).end(), 5_000).unref();
      case "/stalled/health":
        // Headers at once, then a body that never ends.
        res.writeHead(200, { "content-type": "application/json" });
        return void res.write('{"status":');
      default:
        return res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths })),
  );
}

/** A port nothing listens on: bound once, then released. */
function closedPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  }));
}

/**
 * What every MinerProbe must do: `GET <endpoint>/health`, ok for a 2xx, and a failed result,
 * never an exception, for anything else. Runs a real HTTP server on 127.0.0.1.
 */
export function minerProbeContract(makeProbe: Make<MinerProbe>): void {
  describe("MinerProbe contract", () => {
    let miner: Awaited<ReturnType<typeof startMiner>>;
    beforeAll(async () => {
      miner = await startMiner();
    });
    afterAll(async () => {
      miner.server.closeAllConnections();
      await new Promise((resolve) => miner.server.close(resolve));
    });

    it("is ok for a 200 from <endpoint>/health", async () => {
      const probe = await makeProbe();
      const result = await probe.check(`${miner.url}/up`, 2_000);
      expect(result).toMatchObject({ ok: true });
      expect(result.error).toBeUndefined();
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.latencyMs).toBeLessThan(2_000);
      expect(miner.paths).toContain("/up/health");
    });

    it("accepts an endpoint with a trailing slash", async () => {
      const probe = await makeProbe();
      expect(await probe.check(`${miner.url}/up/`, 2_000)).toMatchObject({ ok: true });
    });

    it("is ok for any 2xx", async () => {
      const probe = await makeProbe();
      expect(await probe.check(`${miner.url}/empty`, 2_000)).toMatchObject({ ok: true });
    });

    it.each([
      ["a 500", "/down"],
      ["a 404", "/absent"],
    ])("fails with a reason for %s", async (_, path) => {
      const probe = await makeProbe();
      const result = await probe.check(`${miner.url}${path}`, 2_000);
      expect(result.ok).toBe(false);
      expect(result.error).toEqual(expect.any(String));
    });

    it("fails with a reason when the connection is refused", async () => {
      const probe = await makeProbe();
      const result = await probe.check(`http://127.0.0.1:${await closedPort()}`, 2_000);
      expect(result.ok).toBe(false);
      expect(result.error).toEqual(expect.any(String));
    });

    it.each([
      ["never answers", "/slow"],
      ["never finishes its body", "/stalled"],
    ])("fails within the timeout when the miner %s", async (_, path) => {
      // Prepare
      const probe = await makeProbe();
      const started = Date.now();
      // Act
      const result = await probe.check(`${miner.url}${path}`, 150);
      // Assess
      expect(result.ok).toBe(false);
      expect(result.error).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(result.latencyMs).toBeGreaterThanOrEqual(100);
    });

    it("fails, without throwing, for an endpoint that is not a URL", async () => {
      const probe = await makeProbe();
      const result = await probe.check("not a url", 500);
      expect(result.ok).toBe(false);
      expect(result.error).toEqual(expect.any(String));
    });
  });
}
