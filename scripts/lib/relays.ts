import { Agent, request as httpRequest } from "node:http";
import { connect, createServer } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Readable } from "node:stream";

/**
 * The floors the gateway benchmark prints next to the API, each a relay to the same upstream:
 *
 * - `tcp`: bytes passed through on one upstream connection per client connection (an L4 proxy):
 *   the cost of the extra network hop alone, with no HTTP handling at all;
 * - `hono`: the API's own stack with nothing in it: a Hono app on `@hono/node-server` forwarding
 *   the body with Node's keep-alive HTTP client, as the API's miner transport does, and answering
 *   with the reply's bytes. What any route of the one Hono app costs before auth, routing,
 *   signing and metering.
 *
 * The bare `node:http` pass-through proxy sits between the two (scripts/lib/mock-upstream.ts).
 */
export async function startRelay(kind: "tcp" | "hono", upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  if (kind === "tcp") {
    const server = createServer((client) => {
      const upstreamSocket = connect(Number(target.port), target.hostname);
      client.setNoDelay(true);
      upstreamSocket.setNoDelay(true);
      client.pipe(upstreamSocket).pipe(client);
      const closeBoth = () => (client.destroy(), upstreamSocket.destroy());
      client.on("close", closeBoth).on("error", closeBoth);
      upstreamSocket.on("close", closeBoth).on("error", closeBoth);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const app = new Hono<{ Bindings: { incoming: import("node:http").IncomingMessage } }>();
  app.post("*", async (c) => {
    const body = await collect(c.env.incoming);
    const reply = await new Promise<{ status: number; contentType: string; body: Buffer }>((resolve, reject) => {
      const outgoing = httpRequest({ hostname: target.hostname, port: target.port, path: c.req.path, method: "POST", headers: { "content-type": "application/json", "content-length": body.length }, agent }, (response) =>
        collect(response).then((bytes) => resolve({ status: response.statusCode ?? 502, contentType: response.headers["content-type"] ?? "application/json", body: bytes }), reject),
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
    return new Response(reply.body, { status: reply.status, headers: { "content-type": reply.contentType } });
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise((done) => {
            agent.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

function collect(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on("data", (part: Buffer) => parts.push(part));
    stream.once("end", () => resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts)));
    stream.once("error", reject);
  });
}
