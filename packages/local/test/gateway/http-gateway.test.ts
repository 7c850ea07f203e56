import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startHttpGateway, type HttpGatewayOptions, type Invoke } from "../../src/gateway/index.js";
import { request } from "./http-client.js";

let gateway: Awaited<ReturnType<typeof startHttpGateway>> | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function start(routes: Record<string, Invoke>, options: Partial<HttpGatewayOptions> = {}) {
  const list = Object.entries(routes).map(([routeKey, invoke]) => ({ routeKey, invoke }));
  gateway = await startHttpGateway({ port: 0, routes: list, ...options });
  return gateway;
}

/** A handler that records its events and answers with `result`. */
function recorder(result: unknown = { statusCode: 200 }) {
  const events: APIGatewayProxyEventV2[] = [];
  const invoke = vi.fn(async (event: unknown) => {
    events.push(event as APIGatewayProxyEventV2);
    return result;
  });
  return { invoke, events };
}

describe("HTTP gateway: the payload format 2.0 event", () => {
  it("carries route key, path parameters, query, headers and cookies", async () => {
    const h = recorder();
    const { url, port } = await start({ "POST /jobs/{id}": h.invoke });
    await request(`${url}/jobs/job%201?tag=a&tag=b&q=x%20y`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Multi": ["one", "two"],
        Cookie: "session=abc; theme=dark",
        "User-Agent": "vitest",
      },
      body: JSON.stringify({ hello: "world" }),
    });
    const event = h.events[0]!;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "POST /jobs/{id}",
      rawPath: "/jobs/job%201",
      rawQueryString: "tag=a&tag=b&q=x%20y",
      cookies: ["session=abc", "theme=dark"],
      queryStringParameters: { tag: "a,b", q: "x y" },
      pathParameters: { id: "job 1" },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: "123456789012",
        apiId: "local",
        domainName: `127.0.0.1:${port}`,
        domainPrefix: "127",
        http: { method: "POST", path: "/jobs/job%201", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
        routeKey: "POST /jobs/{id}",
        stage: "$default",
      },
    });
    expect(event.headers).toMatchObject({ "content-type": "application/json", "x-multi": "one,two", "user-agent": "vitest" });
    // Format 2.0 moves the Cookie header into `cookies`.
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  it("omits optional fields when empty and base64-encodes binary bodies", async () => {
    const h = recorder();
    const { url } = await start({ "GET /health": h.invoke, "PUT /blob": h.invoke });
    await request(`${url}/health`);
    const bytes = Buffer.from([0, 1, 2, 255]);
    await request(`${url}/blob`, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: bytes });
    await request(`${url}/blob`, { method: "PUT", headers: { "content-type": "application/vnd.api+json" }, body: "{}" });

    const [get, binary, json] = h.events;
    for (const key of ["cookies", "queryStringParameters", "pathParameters", "body"]) expect(get).not.toHaveProperty(key);
    expect(get).toMatchObject({ rawQueryString: "", isBase64Encoded: false });
    expect(binary).toMatchObject({ body: bytes.toString("base64"), isBase64Encoded: true });
    expect(json).toMatchObject({ body: "{}", isBase64Encoded: false });
  });

  it("gives every request a unique id, echoed in the apigw-requestid header", async () => {
    const h = recorder();
    const { url } = await start({ "GET /health": h.invoke });
    const responses = [await request(`${url}/health`), await request(`${url}/health`)];
    expect(responses.map((r) => r.headers["apigw-requestid"])).toEqual(h.events.map((e) => e.requestContext.requestId));
    expect(new Set(h.events.map((e) => e.requestContext.requestId)).size).toBe(2);
  });
});

describe("HTTP gateway: result mapping", () => {
  it("maps statusCode, headers, cookies and a base64 body", async () => {
    const { url } = await start({
      "GET /file": async () => ({
        statusCode: 201,
        headers: { "Content-Type": "image/png", "x-count": 3 },
        cookies: ["a=1; Path=/", "b=2; HttpOnly"],
        body: Buffer.from([137, 80, 78, 71]).toString("base64"),
        isBase64Encoded: true,
      }),
    });
    const res = await request(`${url}/file`);
    expect(res.status).toBe(201);
    expect(res.headers).toMatchObject({ "content-type": "image/png", "x-count": "3", "set-cookie": ["a=1; Path=/", "b=2; HttpOnly"] });
    expect([...res.body]).toEqual([137, 80, 78, 71]);
  });

  it("sends a result without statusCode as a 200 JSON body, and a string as-is", async () => {
    const { url } = await start({ "GET /object": async () => ({ ok: true }), "GET /string": async () => "hello" });
    const object = await request(`${url}/object`);
    expect(object).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(object.headers["content-type"]).toBe("application/json");
    expect(await request(`${url}/string`)).toMatchObject({ status: 200, text: "hello" });
  });

  it("answers 500 with API Gateway's body when the handler throws or returns garbage", async () => {
    const log = vi.fn();
    const { url } = await start(
      {
        "GET /throws": async () => Promise.reject(new Error("boom")),
        "GET /malformed": async () => ({ statusCode: 200, body: { not: "a string" } }),
      },
      { log },
    );
    for (const path of ["/throws", "/malformed"]) {
      const res = await request(`${url}${path}`);
      expect(res).toMatchObject({ status: 500, text: '{"message":"Internal Server Error"}' });
      expect(res.headers["apigw-requestid"]).toBeTruthy();
    }
    expect(log).toHaveBeenCalledWith({
      method: "GET",
      path: "/throws",
      status: 500,
      ms: expect.any(Number),
      requestId: expect.any(String),
      routeKey: "GET /throws",
      error: "boom",
    });
  });
});

describe("HTTP gateway: routing and limits", () => {
  it("answers 404 Not Found when no route matches", async () => {
    const { url } = await start({ "GET /health": async () => "ok" });
    expect(await request(`${url}/nope`)).toMatchObject({ status: 404, text: '{"message":"Not Found"}' });
    expect(await request(`${url}/health`, { method: "POST" })).toMatchObject({ status: 404 });
  });

  it("routes {proxy+}, ANY and $default", async () => {
    const h = recorder();
    const { url } = await start({ "ANY /api/{proxy+}": h.invoke, $default: h.invoke });
    await request(`${url}/api/v1/jobs`, { method: "DELETE" });
    await request(`${url}/elsewhere`, { method: "PATCH" });
    expect(h.events.map((e) => [e.routeKey, e.pathParameters])).toEqual([
      ["ANY /api/{proxy+}", { proxy: "v1/jobs" }],
      ["$default", undefined],
    ]);
  });

  it("serves a named stage under its path prefix", async () => {
    const h = recorder();
    const { url } = await start({ "GET /health": h.invoke }, { stage: "dev" });
    expect(url).toMatch(/\/dev$/);
    expect((await request(`${url}/health`)).status).toBe(200);
    expect((await request(`${url.replace(/\/dev$/, "")}/health`)).status).toBe(404);
    expect(h.events[0]).toMatchObject({ rawPath: "/dev/health", requestContext: { stage: "dev" } });
  });

  it("refuses bodies over maxBodyBytes with 413, declared or streamed, without invoking the handler", async () => {
    const h = recorder();
    const { url } = await start({ "POST /upload": h.invoke }, { maxBodyBytes: 1024 });
    const tooLarge = '{"message":"Request Entity Too Large"}';
    expect(await request(`${url}/upload`, { method: "POST", body: Buffer.alloc(1025) })).toMatchObject({ status: 413, text: tooLarge });
    const chunks = Array.from({ length: 4 }, () => Buffer.alloc(512));
    expect(await request(`${url}/upload`, { method: "POST", body: chunks })).toMatchObject({ status: 413, text: tooLarge });
    expect(h.invoke).not.toHaveBeenCalled();
    expect(await request(`${url}/upload`, { method: "POST", body: Buffer.alloc(1024) })).toMatchObject({ status: 200 });
  });

  it("survives aborted requests and odd request targets", async () => {
    const { url, port } = await start({ "POST /slow": async () => new Promise((r) => setTimeout(() => r("late"), 50)) });
    const { Socket } = await import("node:net");
    for (const raw of [
      "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial",
      "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
      "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
      "GARBAGE\r\n\r\n",
    ]) {
      const socket = new Socket();
      await new Promise<void>((resolve) => socket.connect(port, "127.0.0.1", resolve));
      socket.on("error", () => {});
      socket.end(raw);
      socket.destroy();
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(await request(`${url}/slow`, { method: "POST" })).toMatchObject({ status: 200, text: "late" });
  });
});

describe("HTTP gateway: CORS, as API Gateway applies its configuration", () => {
  const cors = { allowOrigins: ["*"], allowMethods: ["GET", "POST"], allowHeaders: ["authorization", "content-type"], exposeHeaders: ["x-request-id"] };

  it("answers a browser's preflight itself, without invoking the handler", async () => {
    const h = recorder();
    const { url } = await start({ $default: h.invoke }, { cors });
    const response = await request(`${url}/v1/jobs`, { method: "OPTIONS", headers: { Origin: "http://127.0.0.1:4102", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" } });
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({ "access-control-allow-origin": "*", "access-control-allow-methods": "GET,POST", "access-control-allow-headers": "authorization,content-type" });
    expect(h.invoke).not.toHaveBeenCalled();
  });

  it("adds the allow-origin and expose headers to answers for a cross-origin request, and nothing without an Origin", async () => {
    const h = recorder({ statusCode: 200, headers: { "x-request-id": "r1" }, body: "{}" });
    const { url } = await start({ $default: h.invoke }, { cors });
    const crossOrigin = await request(`${url}/health`, { headers: { Origin: "http://127.0.0.1:4102" } });
    expect(crossOrigin.headers).toMatchObject({ "access-control-allow-origin": "*", "access-control-expose-headers": "x-request-id" });
    const sameOrigin = await request(`${url}/health`);
    expect(sameOrigin.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("without a CORS configuration, passes OPTIONS to the routes like any method", async () => {
    const h = recorder();
    const { url } = await start({ $default: h.invoke });
    await request(`${url}/v1/jobs`, { method: "OPTIONS", headers: { Origin: "http://x", "Access-Control-Request-Method": "POST" } });
    expect(h.invoke).toHaveBeenCalledOnce();
  });
});
