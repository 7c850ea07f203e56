import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebSocket } from "ws";
import { startWebSocketGateway, type Invoke } from "../../src/gateway/index.js";
import { request } from "./http-client.js";
import { closedWith, connect, eventually, nextMessage } from "./ws-client.js";

let gateway: Awaited<ReturnType<typeof startWebSocketGateway>> | undefined;
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await gateway?.close();
  gateway = undefined;
});

/** A gateway with one connected client, whose id is what the @connections API addresses. */
async function connected(routes: Record<string, Invoke> = {}, stage?: string) {
  gateway = await startWebSocketGateway({ port: 0, routes, ...(stage ? { stage } : {}) });
  const ws = await connect(gateway.url, { "User-Agent": "vitest-client" });
  clients.push(ws);
  const id = gateway.connectionIds()[0]!;
  return { gateway, ws, id, path: `/@connections/${encodeURIComponent(id)}` };
}

describe("@connections management API", () => {
  it("POST delivers the raw body to the client as a text frame", async () => {
    const { gateway, ws, path } = await connected();
    const message = nextMessage(ws);
    const res = await request(`${gateway.managementEndpoint}${path}`, { method: "POST", body: '{"event":"done"}' });
    expect(res.status).toBe(200);
    expect(await message).toBe('{"event":"done"}');
  });

  it("GET describes the connection with lower-case keys", async () => {
    const { gateway, path } = await connected();
    const res = await request(`${gateway.managementEndpoint}${path}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toEqual({
      connectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      identity: { sourceIp: "127.0.0.1", userAgent: "vitest-client" },
      lastActiveAt: expect.stringMatching(/Z$/),
    });
  });

  it("DELETE closes the connection and triggers $disconnect", async () => {
    const disconnect = vi.fn(async () => undefined);
    const { gateway, ws, path } = await connected({ $disconnect: disconnect });
    const closed = closedWith(ws);
    expect((await request(`${gateway.managementEndpoint}${path}`, { method: "DELETE" })).status).toBe(204);
    await closed;
    await eventually(() => disconnect.mock.calls.length === 1);
    expect(gateway.connectionIds()).toEqual([]);
  });

  it("answers 410 GoneException for unknown or closed connections", async () => {
    const { gateway, ws, path } = await connected();
    const unknown = await request(`${gateway.managementEndpoint}/@connections/${encodeURIComponent("nope=")}`, { method: "POST", body: "x" });
    expect(unknown).toMatchObject({ status: 410, headers: { "x-amzn-errortype": "GoneException" } });
    ws.close();
    await eventually(() => gateway.connectionIds().length === 0);
    expect((await request(`${gateway.managementEndpoint}${path}`)).status).toBe(410);
  });

  it("accepts the stage-prefixed path and rejects other paths, methods and oversized posts", async () => {
    const { gateway, path } = await connected({}, "dev");
    const base = gateway.managementEndpoint;
    expect((await request(`${base}/dev${path}`)).status).toBe(200);
    expect((await request(`${base}/prod${path}`)).status).toBe(404);
    expect((await request(`${base}/elsewhere`)).status).toBe(404);
    expect((await request(`${base}${path}`, { method: "PUT" })).status).toBe(405);
    const tooLarge = await request(`${base}${path}`, { method: "POST", body: Buffer.alloc(128 * 1024 + 1) });
    expect(tooLarge).toMatchObject({ status: 413, headers: { "x-amzn-errortype": "PayloadTooLargeException" } });
  });

  it("works with the AWS SDK's ApiGatewayManagementApiClient", async () => {
    const { gateway, ws, id } = await connected({}, "local");
    // Handlers build the endpoint from the event's domainName and stage, so test that form.
    const client = new ApiGatewayManagementApiClient({
      endpoint: `${gateway.managementEndpoint}/local`,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    try {
      const message = nextMessage(ws);
      await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: "from the sdk" }));
      expect(await message).toBe("from the sdk");

      const info = await client.send(new GetConnectionCommand({ ConnectionId: id }));
      expect(info.ConnectedAt).toBeInstanceOf(Date);
      expect(info.Identity).toEqual({ SourceIp: "127.0.0.1", UserAgent: "vitest-client" });

      const closed = closedWith(ws);
      await client.send(new DeleteConnectionCommand({ ConnectionId: id }));
      await closed;
      await eventually(() => gateway.connectionIds().length === 0);

      const stale = client.send(new PostToConnectionCommand({ ConnectionId: id, Data: "late" }));
      await expect(stale).rejects.toMatchObject({ name: "GoneException", $metadata: { httpStatusCode: 410 } });
    } finally {
      client.destroy();
    }
  });
});
