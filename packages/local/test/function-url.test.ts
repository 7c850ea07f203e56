import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startFunctionUrl, type FunctionUrl } from "../src/function-url.js";
import type { CorsConfig } from "../src/gateway/cors.js";
import { LambdaRuntime } from "../src/lambda-runtime.js";
import { quietLog } from "../src/log.js";

/** Handler strings resolve against this folder: `functions/streaming.plain` → fixtures/functions/streaming.ts, export `plain`. */
const fixturesRoot = fileURLToPath(new URL("./fixtures", import.meta.url));
const gates = globalThis as { __streamingFixtureGate?: Promise<void>; __streamingFixtureDone?: (requestId: string) => void };

let server: FunctionUrl | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete gates.__streamingFixtureGate;
  delete gates.__streamingFixtureDone;
});

async function serve(handlerRef: string, timeoutSeconds = 5, cors?: CorsConfig): Promise<string> {
  const runtime = new LambdaRuntime(fixturesRoot, quietLog);
  server = await startFunctionUrl({ port: 0, invoke: runtime.streamingInvoker(handlerRef, timeoutSeconds), ...(cors && { cors }) });
  return server.url;
}

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Resolves at the next body chunk, or undefined at the end. */
  nextChunk(): Promise<string | undefined>;
  /** Everything that is left, and whether the response ended cleanly (false: the connection was cut). */
  rest(): Promise<{ text: string; complete: boolean }>;
}

/** A bare node:http exchange that exposes each body chunk as it arrives. */
function open(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers ?? {} }, (res) => {
      const chunks: string[] = [];
      let waiting: ((chunk: string | undefined) => void) | undefined;
      let ended: boolean | undefined;
      const settled = new Promise<boolean>((done) => {
        res.on("end", () => done(true));
        res.on("error", () => done(false));
        res.on("aborted", () => done(false));
      }).then((complete) => {
        ended = complete;
        waiting?.(undefined);
        return complete;
      });
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (waiting) {
          const deliver = waiting;
          waiting = undefined;
          deliver(chunk);
        } else chunks.push(chunk);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        nextChunk: () => (chunks.length ? Promise.resolve(chunks.shift()) : ended !== undefined ? Promise.resolve(undefined) : new Promise((r) => (waiting = r))),
        rest: async () => {
          const complete = await settled;
          return { text: chunks.splice(0).join(""), complete };
        },
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("Function URL (RESPONSE_STREAM): streaming handlers", () => {
  it("sends status, headers and cookies from the prelude, then each chunk while the handler is still writing", async () => {
    // Prepare
    let release!: () => void;
    gates.__streamingFixtureGate = new Promise((resolve) => (release = resolve));
    const url = await serve("functions/streaming.handler");

    // Act
    const exchange = await open(`${url}/v1/chat?x=1`);
    const first = await exchange.nextChunk();
    release();
    const rest = await exchange.rest();

    // Assess: the first event arrived while the handler was blocked on the gate.
    expect(exchange.status).toBe(201);
    expect(exchange.headers).toMatchObject({ "content-type": "text/event-stream", "x-path": "/v1/chat", "set-cookie": ["session=abc; Path=/"], "transfer-encoding": "chunked" });
    expect(exchange.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).toBe("data: first\n\n");
    expect(rest).toEqual({ text: "data: second\n\n", complete: true });
  });

  it("the invocation outlives the body: work after end() still runs to completion", async () => {
    // Prepare
    gates.__streamingFixtureGate = Promise.resolve();
    const finished = new Promise<string>((resolve) => (gates.__streamingFixtureDone = resolve));
    const url = await serve("functions/streaming.handler");

    // Act
    const exchange = await open(url);
    await exchange.rest();

    // Assess
    expect(await finished).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a stream without a prelude is a 200 with the stream's content type", async () => {
    // Prepare
    const url = await serve("functions/streaming.plain");

    // Act
    const exchange = await open(url);

    // Assess
    expect(exchange.status).toBe(200);
    expect(exchange.headers["content-type"]).toBe("text/plain");
    expect(await exchange.rest()).toEqual({ text: "ab", complete: true });
  });

  it("an empty body still carries the prelude's status and headers", async () => {
    // Prepare
    const url = await serve("functions/streaming.empty");

    // Act
    const exchange = await open(url);

    // Assess
    expect(exchange.status).toBe(204);
    expect(exchange.headers["x-empty"]).toBe("yes");
    expect((await exchange.rest()).text).toBe("");
  });

  it("a handler failing before its first write is a 502", async () => {
    // Prepare
    const url = await serve("functions/streaming.failsEarly");

    // Act
    const exchange = await open(url);

    // Assess
    expect(exchange.status).toBe(502);
    expect(JSON.parse((await exchange.rest()).text)).toEqual({ message: "Internal Server Error" });
  });

  it("a handler failing midway cuts the connection after what it had sent", async () => {
    // Prepare
    const url = await serve("functions/streaming.failsMidway");

    // Act
    const exchange = await open(url);
    const first = await exchange.nextChunk();
    const rest = await exchange.rest();

    // Assess
    expect(exchange.status).toBe(200);
    expect(first).toBe("data: partial\n\n");
    expect(rest.complete).toBe(false);
  });

  it("a handler outliving its timeout mid-stream is cut like Lambda cuts it", async () => {
    // Prepare: the gate never opens.
    gates.__streamingFixtureGate = new Promise(() => {});
    const url = await serve("functions/streaming.handler", 1);

    // Act
    const exchange = await open(url);
    const first = await exchange.nextChunk();
    const rest = await exchange.rest();

    // Assess
    expect(first).toBe("data: first\n\n");
    expect(rest.complete).toBe(false);
  });
});

describe("Function URL: events and buffered handlers", () => {
  it("hands the handler a payload format 2.0 event like Function URLs send, and returns a buffered result whole", async () => {
    // Prepare: echo.ts is a plain (not streamified) handler returning its event.
    const url = await serve("functions/echo.handler");

    // Act
    const exchange = await open(`${url}/v1/things?a=1&a=2`, { method: "POST", headers: { "content-type": "application/json", cookie: "k=v; j=w" }, body: '{"x":1}' });
    const { text } = await exchange.rest();

    // Assess
    expect(exchange.status).toBe(200);
    expect(exchange.headers["content-type"]).toBe("application/json");
    const { event } = JSON.parse(text) as { event: Record<string, any> };
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/v1/things",
      rawQueryString: "a=1&a=2",
      cookies: ["k=v", "j=w"],
      queryStringParameters: { a: "1,2" },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: { accountId: "anonymous", apiId: "local", routeKey: "$default", stage: "$default", http: { method: "POST", path: "/v1/things" } },
    });
    expect(event.requestContext.domainName).toBe(new URL(url).host);
  });

  it("listens on 127.0.0.1 only", async () => {
    // Act
    const url = await serve("functions/echo.handler");

    // Assess
    expect(new URL(url).hostname).toBe("127.0.0.1");
  });

  it("answers CORS preflights itself and adds the allow-origin and expose headers, as a Function URL with a CORS configuration does", async () => {
    const cors: CorsConfig = { allowOrigins: ["http://dashboard.test"], allowMethods: ["POST"], allowHeaders: ["authorization", "content-type"], exposeHeaders: ["x-request-id"], maxAgeSeconds: 300 };
    const url = await serve("functions/streaming.plain", 5, cors);
    const preflight = await open(url, { method: "OPTIONS", headers: { origin: "http://dashboard.test", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ "access-control-allow-origin": "http://dashboard.test", "access-control-allow-methods": "POST", "access-control-allow-headers": "authorization,content-type", "access-control-max-age": "300" });
    // An origin not in the configuration gets no CORS headers, and the handler never sees a preflight.
    const stranger = await open(url, { method: "OPTIONS", headers: { origin: "http://elsewhere.test", "access-control-request-method": "POST" } });
    expect(stranger.status).toBe(204);
    expect(stranger.headers["access-control-allow-origin"]).toBeUndefined();
    const actual = await open(url, { method: "POST", headers: { origin: "http://dashboard.test" }, body: "{}" });
    expect(actual.status).toBe(200);
    expect(actual.headers).toMatchObject({ "access-control-allow-origin": "http://dashboard.test", "access-control-expose-headers": "x-request-id" });
    await actual.rest();
  });
});
