import { describe, expect, it } from "vitest";
import {
  HANDLER_HIGH_WATER_MARK,
  HANDLER_STREAMING,
  HTTP_INTEGRATION_RESPONSE,
  HttpResponseStream,
  LambdaResponseStream,
  installAwsLambdaGlobal,
  isStreamingHandler,
  streamifyResponse,
} from "../src/response-streaming.js";

/** Everything that reached the read side, once the stream has ended. */
async function bytesOf(stream: LambdaResponseStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("awslambda.streamifyResponse", () => {
  it("marks the handler the way the Node.js runtime recognises a streaming handler", () => {
    // Prepare
    const handler = async () => {};

    // Act
    const wrapped = streamifyResponse(handler, { highWaterMark: 1024 });

    // Assess
    expect(wrapped).toBe(handler);
    expect((wrapped as unknown as Record<symbol, unknown>)[HANDLER_STREAMING]).toBe("response");
    expect((wrapped as unknown as Record<symbol, unknown>)[HANDLER_HIGH_WATER_MARK]).toBe(1024);
    expect(isStreamingHandler(wrapped)).toBe(true);
    expect(isStreamingHandler(async () => {})).toBe(false);
  });

  it("is installed on the global awslambda object, keeping what is already there (the SDK's InvokeStore)", () => {
    // Prepare: @aws/lambda-invoke-store creates `globalThis.awslambda = {}` when the SDK loads.
    const scope = globalThis as { awslambda?: Record<string, unknown> };
    const saved = scope.awslambda;
    const invokeStore = {};
    const ownStreamify = () => {};
    scope.awslambda = { InvokeStore: invokeStore };

    try {
      // Act
      installAwsLambdaGlobal();
      const installed = { ...scope.awslambda };
      scope.awslambda.streamifyResponse = ownStreamify;
      installAwsLambdaGlobal();

      // Assess
      expect(installed).toEqual({ InvokeStore: invokeStore, streamifyResponse, HttpResponseStream });
      expect(scope.awslambda.streamifyResponse).toBe(ownStreamify);
    } finally {
      scope.awslambda = saved;
    }
  });
});

describe("awslambda.HttpResponseStream.from", () => {
  it("writes the JSON prelude and 8 NUL bytes just before the first body bytes", async () => {
    // Prepare
    const stream = new LambdaResponseStream();
    const prelude = { statusCode: 201, headers: { "content-type": "text/event-stream" }, cookies: ["a=1"] };

    // Act
    const target = HttpResponseStream.from(stream, prelude);
    target.write("data: 1\n\n");
    target.end("data: 2\n\n");

    // Assess
    expect(target).toBe(stream);
    expect(stream.getContentType()).toBe(HTTP_INTEGRATION_RESPONSE);
    expect(await bytesOf(stream)).toEqual(Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8), Buffer.from("data: 1\n\ndata: 2\n\n")]));
  });

  it("sends no prelude when nothing is ever written, and an empty write commits it", async () => {
    // Prepare
    const silent = new LambdaResponseStream();
    const empty = new LambdaResponseStream();

    // Act
    HttpResponseStream.from(silent, { statusCode: 204 }).end();
    const committed = HttpResponseStream.from(empty, { statusCode: 204 });
    committed.write("");
    committed.end();

    // Assess
    expect(await bytesOf(silent)).toEqual(Buffer.alloc(0));
    expect(await bytesOf(empty)).toEqual(Buffer.concat([Buffer.from('{"statusCode":204}'), Buffer.alloc(8)]));
  });
});

describe("the response stream", () => {
  it("defaults to application/octet-stream, and the content type is fixed once bytes went out", () => {
    // Prepare
    const stream = new LambdaResponseStream();

    // Act
    const before = stream.getContentType();
    stream.write("x");

    // Assess
    expect(before).toBe("application/octet-stream");
    expect(() => stream.setContentType("text/plain")).toThrow(/before the first write/);
  });

  it("hands each write to the reader as it happens, before the stream ends", async () => {
    // Prepare
    const stream = new LambdaResponseStream();
    const reader = stream.body[Symbol.asyncIterator]();

    // Act
    stream.write("one");
    const first = await reader.next();
    stream.write("two");
    const second = await reader.next();
    stream.end();
    const done = await reader.next();

    // Assess
    expect(String(first.value)).toBe("one");
    expect(String(second.value)).toBe("two");
    expect(done.done).toBe(true);
  });

  it("destroyed midway, it fails the reader instead of ending cleanly", async () => {
    // Prepare
    const stream = new LambdaResponseStream();
    stream.on("error", () => {});
    stream.write("partial");

    // Act
    stream.destroy(new Error("miner went away"));

    // Assess
    await expect(bytesOf(stream)).rejects.toThrow("miner went away");
  });
});
