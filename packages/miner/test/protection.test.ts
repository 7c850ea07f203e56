import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { DEFAULT_GGUF_PATH } from "../src/config.js";
import { LlamaCppEngine } from "../src/engines/llama-cpp-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { startMiner, type RunningMiner } from "../src/server.js";
import { json, MODEL, post, readSse } from "./helpers.js";

// One real stories260K engine (one sequence) shared by every app in this file.
let engines: EngineRegistry;
let app: MinerApp;

beforeAll(async () => {
  engines = await loadEngines({ llm: new LlamaCppEngine({ modelPath: DEFAULT_GGUF_PATH, contextSize: 512, threads: 1, concurrency: 1 }) });
  app = createMinerApp({ engines, config: { limits: { maxBodyBytes: 2_000, maxInputChars: 500 } } });
});
afterAll(() => closeEngines(engines));

const chat = (extra: Record<string, unknown> = {}) => ({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8, ...extra });

async function expectError(response: Response, status: number, error: Record<string, unknown>) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect((await json(response)).error).toMatchObject(error);
}

describe("bad requests get OpenAI error bodies", () => {
  it("malformed, empty or non-JSON bodies", async () => {
    await expectError(await post(app, "/v1/chat/completions", "{bad"), 400, { type: "invalid_request_error", code: "invalid_json" });
    await expectError(await post(app, "/v1/chat/completions", ""), 400, { code: "invalid_json" });
    await expectError(await post(app, "/v1/chat/completions", "[1]"), 400, { type: "invalid_request_error" });
    const plain = await app.request("/v1/chat/completions", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    await expectError(plain, 415, { code: "unsupported_media_type" });
  });

  it("invalid fields, naming the field", async () => {
    await expectError(await post(app, "/v1/chat/completions", { model: MODEL }), 400, { param: "messages" });
    await expectError(await post(app, "/v1/chat/completions", chat({ n: 2 })), 400, { param: "n", message: expect.stringContaining("n=1") });
    await expectError(await post(app, "/v1/chat/completions", chat({ temperature: 3 })), 400, { param: "temperature" });
    await expectError(await post(app, "/v1/chat/completions", chat({ messages: [{ role: "tool", content: "x" }] })), 400, { param: "messages.0.role" });
    const image = [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }];
    await expectError(await post(app, "/v1/chat/completions", chat({ messages: image })), 400, { code: "image_input_unsupported", message: expect.stringContaining("cannot read images") });
    const audio = [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }];
    await expectError(await post(app, "/v1/chat/completions", chat({ messages: audio })), 400, { message: expect.stringContaining("text and image_url parts") });
    await expectError(await post(app, "/v1/completions", { model: MODEL, prompt: [1, 2] }), 400, { param: "prompt" });
  });

  it("unknown model 404, unknown route 404, wrong method 405, body over the limit 413, input over the limit 400", async () => {
    await expectError(await post(app, "/v1/chat/completions", chat({ model: "gpt-4o" })), 404, { code: "model_not_found", param: "model" });
    await expectError(await app.request("/v1/nothing"), 404, { code: "unknown_route" });
    const wrongMethod = await app.request("/v1/embeddings");
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    await expectError(wrongMethod, 405, { code: "method_not_allowed" });
    await expectError(await post(app, "/v1/completions", { model: MODEL, prompt: "x".repeat(3_000) }), 413, { code: "request_too_large" });
    await expectError(await post(app, "/v1/completions", { model: MODEL, prompt: "x".repeat(600) }), 400, { code: "input_too_long", param: "prompt" });
  });

  it("keeps serving after all of the above", async () => {
    const response = await post(app, "/v1/chat/completions", chat());
    expect(response.status).toBe(200);
    expect((await json(response)).usage.completion_tokens).toBe(8);
  });
});

describe("concurrency limit", () => {
  let miner: RunningMiner;
  beforeAll(async () => {
    miner = await startMiner({ port: 0, engines, config: { llm: { concurrency: 1, maxQueue: 0 } } });
  });
  afterAll(() => miner.close());

  const streamRequest = (signal?: AbortSignal) =>
    fetch(`${miner.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chat({ max_tokens: 256, stream: true })), ...(signal && { signal }) });

  it("answers 429 with Retry-After when one request runs and none may wait", async () => {
    const responses = await Promise.all([streamRequest(), streamRequest()]);
    const busy = responses.find((r) => r.status === 429);
    const served = responses.find((r) => r.status === 200);
    expect(busy && served).toBeTruthy();
    expect(busy!.headers.get("retry-after")).toBe("1");
    expect((await json(busy!)).error).toMatchObject({ type: "rate_limit_error", code: "engine_saturated" });
    expect((await readSse(served!)).at(-1)).toBe("[DONE]");
    // The slot is free again.
    const again = await streamRequest();
    expect(again.status).toBe(200);
    await again.text();
  });

  it("frees the slot when a streaming client disconnects", async () => {
    const abort = new AbortController();
    const first = await streamRequest(abort.signal);
    expect(first.status).toBe(200);
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await fetch(`${miner.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chat()) });
    expect(next.status).toBe(200);
  });

  it("queues up to maxQueue requests instead of refusing them", async () => {
    const queued = createMinerApp({ engines, config: { llm: { concurrency: 1, maxQueue: 2 } } });
    const responses = await Promise.all([1, 2, 3].map(() => post(queued, "/v1/chat/completions", chat({ max_tokens: 100, temperature: 0 }))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const texts = await Promise.all(responses.map(async (r) => (await json(r)).choices[0].message.content));
    expect(new Set(texts).size).toBe(1);
  });
});

describe("authorize hook", () => {
  const refusal = () => Object.assign(new Error("Missing or invalid dispatch signature."), { status: 401 });

  it("refuses POST /v1/* with 401 before any work, leaving GET routes open", async () => {
    const calls: string[] = [];
    const guarded = createMinerApp({
      engines,
      authorize: async (request) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        throw refusal();
      },
    });
    await expectError(await post(guarded, "/v1/chat/completions", chat()), 401, { type: "authentication_error", message: "Missing or invalid dispatch signature." });
    // Even an invalid body is refused as unauthenticated: the hook runs first.
    await expectError(await post(guarded, "/v1/completions", "{bad"), 401, { type: "authentication_error" });
    expect((await guarded.request("/health")).status).toBe(200);
    expect((await guarded.request("/v1/models")).status).toBe(200);
    expect(calls).toEqual(["POST /v1/chat/completions", "POST /v1/completions"]);
  });

  it("can read the body (for the signature) without consuming it", async () => {
    const bodies: string[] = [];
    const guarded = createMinerApp({ engines, authorize: async (request) => void bodies.push(await request.text()) });
    const response = await post(guarded, "/v1/chat/completions", chat());
    expect(response.status).toBe(200);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ model: MODEL });
  });

  it("turns an unexpected hook failure into a 500 that reveals nothing", async () => {
    const guarded = createMinerApp({ engines, authorize: async () => { throw new Error("secret detail"); } });
    const response = await post(guarded, "/v1/chat/completions", chat());
    expect(response.status).toBe(500);
    expect(JSON.stringify(await json(response))).not.toContain("secret");
  });
});
