import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebSocket } from "ws";
import { startWebSocketGateway, type Invoke, type WebSocketEvent, type WebSocketGatewayOptions } from "../../src/gateway/index.js";
import { closedWith, connect, eventually, nextMessage } from "./ws-client.js";

let gateway: Awaited<ReturnType<typeof startWebSocketGateway>> | undefined;
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await gateway?.close();
  gateway = undefined;
});

async function start(routes: Record<string, Invoke>, options: Partial<WebSocketGatewayOptions> = {}) {
  gateway = await startWebSocketGateway({ port: 0, routes, ...options });
  return gateway;
}

async function open(url: string, headers?: Record<string, string>) {
  const ws = await connect(url, headers);
  clients.push(ws);
  return ws;
}

/** A handler that records its events and answers with `result`. */
function recorder(result?: unknown) {
  const events: WebSocketEvent[] = [];
  const invoke = vi.fn(async (event: unknown) => {
    events.push(event as WebSocketEvent);
    return result;
  });
  return { invoke, events };
}

describe("WebSocket gateway: $connect", () => {
  it("refuses the handshake with the handler's status", async () => {
    const disconnect = recorder();
    const { url, connectionIds } = await start({ $connect: async () => ({ statusCode: 401 }), $disconnect: disconnect.invoke });
    await expect(connect(url)).rejects.toMatchObject({ status: 401 });
    expect(connectionIds()).toEqual([]);
    expect(disconnect.invoke).not.toHaveBeenCalled();
  });

  it("refuses with 500 when the connect handler throws", async () => {
    const { url } = await start({ $connect: async () => Promise.reject(new Error("db down")) });
    await expect(connect(url)).rejects.toMatchObject({ status: 500 });
  });

  it("accepts and passes headers, query string and identity", async () => {
    const h = recorder({ statusCode: 200 });
    const { url, port, connectionIds } = await start({ $connect: h.invoke });
    await open(`${url}/?token=abc&tag=1&tag=2`, { "X-Api-Key": "secret", "User-Agent": "vitest" });
    const event = h.events[0]!;
    expect(event).toMatchObject({
      headers: { "x-api-key": "secret", "user-agent": "vitest" },
      multiValueHeaders: { "x-api-key": ["secret"] },
      queryStringParameters: { token: "abc", tag: "2" },
      multiValueQueryStringParameters: { token: ["abc"], tag: ["1", "2"] },
      isBase64Encoded: false,
      requestContext: {
        routeKey: "$connect",
        eventType: "CONNECT",
        messageDirection: "IN",
        stage: "local",
        domainName: `127.0.0.1:${port}`,
        apiId: "local",
        identity: { sourceIp: "127.0.0.1", userAgent: "vitest" },
      },
    });
    // AWS-style ids: 16 base64 characters ending in "=".
    expect(event.requestContext.connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(connectionIds()).toEqual([event.requestContext.connectionId]);
  });

  it("accepts everyone when there is no $connect route", async () => {
    const { url, connectionIds } = await start({});
    await open(url);
    expect(connectionIds()).toHaveLength(1);
  });
});

describe("WebSocket gateway: messages", () => {
  it("selects the route by `action`, falls back to $default, and sends back a returned body", async () => {
    const subscribe = recorder({ statusCode: 200, body: '{"subscribed":true}' });
    const fallback = recorder({ statusCode: 200 });
    const { url } = await start({ subscribe: subscribe.invoke, $default: fallback.invoke });
    const ws = await open(url);

    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: "subscribe", jobId: "j1" }));
    expect(await reply).toBe('{"subscribed":true}');
    ws.send(JSON.stringify({ action: "unknown" }));
    ws.send("not json");
    ws.send(JSON.stringify({ action: "$connect" }));
    await eventually(() => fallback.events.length === 3);

    expect(subscribe.events[0]).toMatchObject({
      body: '{"action":"subscribe","jobId":"j1"}',
      isBase64Encoded: false,
      requestContext: { routeKey: "subscribe", eventType: "MESSAGE", messageDirection: "IN", stage: "local" },
    });
    expect(subscribe.events[0]!.requestContext.messageId).toMatch(/=$/);
    expect(fallback.events.map((e) => e.requestContext.routeKey)).toEqual(["$default", "$default", "$default"]);
    expect(fallback.events[1]!.body).toBe("not json");
  });

  it("uses a custom route selection key", async () => {
    const h = recorder();
    const { url } = await start({ ping: h.invoke }, { routeSelectionKey: "type" });
    (await open(url)).send('{"type":"ping"}');
    await eventually(() => h.events.length === 1);
  });

  it("base64-encodes binary frames", async () => {
    const h = recorder();
    const { url } = await start({ $default: h.invoke });
    (await open(url)).send(Buffer.from([0, 159, 255]));
    await eventually(() => h.events.length === 1);
    expect(h.events[0]).toMatchObject({ body: "AJ//", isBase64Encoded: true });
  });

  it("answers Forbidden when no route matches and there is no $default", async () => {
    const { url, connectionIds } = await start({ subscribe: async () => ({}) });
    const ws = await open(url);
    const reply = nextMessage(ws);
    ws.send('{"action":"other"}');
    const error = JSON.parse(await reply);
    expect(error).toMatchObject({ message: "Forbidden", connectionId: connectionIds()[0] });
    expect(error.requestId).toMatch(/=$/);
  });

  it("reports a failing handler to the client and keeps the connection open", async () => {
    let calls = 0;
    const { url } = await start({
      $default: async () => {
        if (calls++ === 0) throw new Error("boom");
        return { body: "second" };
      },
    });
    const ws = await open(url);
    let reply = nextMessage(ws);
    ws.send("first");
    expect(JSON.parse(await reply)).toMatchObject({ message: "Internal server error" });
    reply = nextMessage(ws);
    ws.send("again");
    expect(await reply).toBe("second");
  });

  it("closes with 1009 when a message is over maxMessageBytes", async () => {
    const h = recorder();
    const { url } = await start({ $default: h.invoke }, { maxMessageBytes: 1024 });
    const ws = await open(url);
    const closed = closedWith(ws);
    ws.send("x".repeat(1025));
    expect(await closed).toBe(1009);
    expect(h.invoke).not.toHaveBeenCalled();
  });
});

describe("WebSocket gateway: $disconnect and shutdown", () => {
  it("invokes $disconnect once when the client closes", async () => {
    const h = recorder();
    const { url, connectionIds } = await start({ $disconnect: h.invoke });
    const ws = await open(url);
    const [id] = connectionIds();
    ws.close(4000, "bye");
    await eventually(() => h.events.length === 1);
    expect(h.events[0]).toMatchObject({
      requestContext: { routeKey: "$disconnect", eventType: "DISCONNECT", connectionId: id, disconnectStatusCode: 4000, disconnectReason: "bye" },
    });
    expect(connectionIds()).toEqual([]);
  });

  it("swallows a failing $disconnect handler", async () => {
    const log = vi.fn();
    const { url } = await start({ $disconnect: async () => Promise.reject(new Error("nope")) }, { log });
    (await open(url)).close();
    await eventually(() => log.mock.calls.some(([line]) => line.error === "nope"));
  });

  it("close() disconnects every client and resolves after $disconnect", async () => {
    const h = recorder();
    const gw = await start({ $disconnect: h.invoke });
    const sockets = [await open(gw.url), await open(gw.url)];
    const codes = sockets.map(closedWith);
    await gw.close();
    gateway = undefined;
    expect(h.events).toHaveLength(2);
    expect(await Promise.all(codes)).toEqual([1001, 1001]);
  });
});
