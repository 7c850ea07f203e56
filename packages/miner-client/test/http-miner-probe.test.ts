import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { minerProbeContract } from "@tensornode/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpMinerProbe } from "../src/index.js";

minerProbeContract(() => new HttpMinerProbe({ allowPrivateAddresses: true }));

describe("HttpMinerProbe failure reasons", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/slow/health") return void setTimeout(() => res.end(), 2_000).unref();
      if (req.url === "/moved/health") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("names the HTTP status of a failed answer", async () => {
    expect(await new HttpMinerProbe({ allowPrivateAddresses: true }).check(url, 1_000)).toMatchObject({ ok: false, error: "HTTP 503" });
  });

  it("names the timeout", async () => {
    expect(await new HttpMinerProbe({ allowPrivateAddresses: true }).check(`${url}/slow`, 100)).toMatchObject({ ok: false, error: "timeout after 100 ms" });
  });

  it("does not follow a redirect", async () => {
    expect(await new HttpMinerProbe({ allowPrivateAddresses: true }).check(`${url}/moved`, 1_000)).toMatchObject({ ok: false, error: "HTTP 302" });
  });

  it("never connects to a private address unless allowed, named literally or through DNS", async () => {
    const probe = new HttpMinerProbe();
    const port = new URL(url).port;
    expect(await probe.check(url, 1_000)).toMatchObject({ ok: false, error: "127.0.0.1 is not a public address" });
    expect(await probe.check(`http://localhost:${port}`, 1_000)).toMatchObject({ ok: false, error: expect.stringContaining("which is not a public address") });
  });
});
