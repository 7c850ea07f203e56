import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { MemoryNonceStore, MinerUnreachableError, requestSigner, systemClock, verifySignedRequest } from "@tensornode/core";
import { afterEach, describe, expect, it } from "vitest";
import type { LookupAddress, lookup } from "node:dns";
import { HttpMinerTransport, PrivateAddressError, publicAddressLookup } from "../src/index.js";

/** A real HTTP server on 127.0.0.1 playing the miner; `handler` decides each answer. */
let server: Server | undefined;
let transport: HttpMinerTransport | undefined;
async function miner(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<string> {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (p: Buffer) => parts.push(p));
    req.on("end", () => handler(req, res, Buffer.concat(parts)));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
afterEach(async () => {
  transport?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const call = (endpoint: string, overrides: Partial<Parameters<HttpMinerTransport["send"]>[0]> = {}) => ({
  endpoint,
  path: "/v1/chat/completions",
  contentType: "application/json",
  body: new TextEncoder().encode('{"model":"m"}'),
  requestId: "req_1",
  timeoutMs: 2_000,
  ...overrides,
});

describe("HttpMinerTransport", () => {
  it("sends the body signed with the dispatch key, verifiable by the miner, and reuses the connection", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const der = privateKey.export({ format: "der", type: "pkcs8" }).toString("hex");
    const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
    const seen: Array<{ account: string; port: number }> = [];
    const endpoint = await miner(async (req, res, body) => {
      const account = await verifySignedRequest(
        { publicKeyOf: async () => ({ type: "ED25519", hex: raw }), nonces: new MemoryNonceStore(), clock: systemClock },
        { method: req.method!, path: req.url!, body, headers: (name) => req.headers[name] as string | undefined },
      );
      seen.push({ account, port: req.socket.remotePort! });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ got: body.toString(), id: req.headers["x-request-id"] }));
    });
    transport = new HttpMinerTransport({ signer: requestSigner("0.0.77", der), allowPrivateAddresses: true });
    const first = await transport.send(call(endpoint));
    const second = await transport.send(call(`${endpoint}/`));
    expect(first).toMatchObject({ status: 200, contentType: "application/json" });
    expect(JSON.parse(Buffer.from(first.body).toString())).toEqual({ got: '{"model":"m"}', id: "req_1" });
    expect(second.status).toBe(200);
    expect(seen.map((s) => s.account)).toEqual(["0.0.77", "0.0.77"]);
    expect(seen[0]!.port).toBe(seen[1]!.port); // keep-alive
  });

  it("reports a refused connection and a timeout as MinerUnreachableError (timedOut only for the latter)", async () => {
    transport = new HttpMinerTransport({ allowPrivateAddresses: true });
    await expect(transport.send(call("http://127.0.0.1:9"))).rejects.toMatchObject({ name: "MinerUnreachableError", timedOut: false });
    const endpoint = await miner(() => undefined); // never answers
    const error = await transport.send(call(endpoint, { timeoutMs: 150 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinerUnreachableError);
    expect(error).toMatchObject({ timedOut: true });
  });

  it("counts a miner that stalls in the middle of its reply as timed out", async () => {
    const endpoint = await miner((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
    });
    transport = new HttpMinerTransport({ allowPrivateAddresses: true });
    const error = await transport.send(call(endpoint, { timeoutMs: 200 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "MinerUnreachableError", timedOut: true });
  });

  it("streams chunks as they come, and cuts a stream that goes quiet", async () => {
    const endpoint = await miner((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n");
      setTimeout(() => res.write("data: 2\n\n"), 50);
      // then silence: the stream never ends
    });
    transport = new HttpMinerTransport({ streamIdleMs: 300, allowPrivateAddresses: true });
    const reply = await transport.stream(call(endpoint));
    expect(reply.status).toBe(200);
    const chunks: string[] = [];
    const error = await (async () => {
      for await (const chunk of reply.body) chunks.push(Buffer.from(chunk).toString());
    })().catch((e: unknown) => e);
    expect(chunks.join("")).toBe("data: 1\n\ndata: 2\n\n");
    expect(error).toMatchObject({ name: "MinerUnreachableError", timedOut: true });
  });

  it("never connects to a private address unless allowed, whether named literally or through DNS", async () => {
    let reached = 0;
    const endpoint = await miner((_req, res) => {
      reached++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const port = new URL(endpoint).port;
    transport = new HttpMinerTransport();
    for (const url of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::ffff:127.0.0.1]:${port}`]) {
      await expect(transport.send(call(url))).rejects.toMatchObject({ name: "MinerUnreachableError", message: expect.stringContaining("not a public address") });
    }
    expect(reached).toBe(0);
  });
});

describe("publicAddressLookup", () => {
  const resolving = (answer: string | LookupAddress[]) => ((_host: string, _options: unknown, callback: (error: null, address: string | LookupAddress[], family: number) => void) => callback(null, answer, 4)) as unknown as typeof lookup;
  const run = (answer: string | LookupAddress[], all = false) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => publicAddressLookup(resolving(answer))("miner.example", { all }, (error, address) => resolve({ error, address })));

  it("passes public answers through and refuses a name with any private answer", async () => {
    expect(await run("203.0.113.7")).toEqual({ error: null, address: "203.0.113.7" });
    expect((await run("10.1.2.3")).error).toBeInstanceOf(PrivateAddressError);
    expect((await run("169.254.169.254")).error?.message).toBe("miner.example resolves to 169.254.169.254, which is not a public address");
    const mixed = [{ address: "203.0.113.7", family: 4 }, { address: "fd00::1", family: 6 }];
    expect((await run(mixed, true)).error).toBeInstanceOf(PrivateAddressError);
    expect((await run([{ address: "203.0.113.7", family: 4 }], true)).error).toBeNull();
  });
});
