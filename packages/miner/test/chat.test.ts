import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { DEFAULT_GGUF_PATH } from "../src/config.js";
import { LlamaCppEngine } from "../src/engines/llama-cpp-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { json, MODEL, post, readSse } from "./helpers.js";

// The real stories260K model, loaded once for the file.
let engines: EngineRegistry;
let app: MinerApp;

beforeAll(async () => {
  engines = await loadEngines({ llm: new LlamaCppEngine({ modelPath: DEFAULT_GGUF_PATH, contextSize: 512, threads: 1, concurrency: 1 }) });
  app = createMinerApp({ engines, config: { limits: { maxTokens: 200 } } });
});
afterAll(() => closeEngines(engines));

const chatRequest = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: "user", content: "Once upon a time" }],
  max_tokens: 60,
  temperature: 0,
  ...extra,
});

describe("POST /v1/chat/completions", () => {
  it("answers with the model's story text and real usage counts", async () => {
    const response = await post(app, "/v1/chat/completions", chatRequest());
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: "chat.completion", model: MODEL, choices: [{ index: 0, message: { role: "assistant" }, finish_reason: "length" }] });
    expect(body.id).toMatch(/^chatcmpl-/);
    // stories260K continues the text as in llama2.c's temperature-0 sample.
    expect(body.choices[0].message.content).toMatch(/^, there was a little girl named Lily\. She loved to play/);
    // BOS + 5 prompt tokens; 60 generated because max_tokens ran out first.
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 60, total_tokens: 66 });
  });

  it("is deterministic with temperature 0", async () => {
    const request = chatRequest({ messages: [{ role: "system", content: "Tom had a red ball." }, { role: "user", content: "One day" }], max_tokens: 80 });
    const first = await json(await post(app, "/v1/chat/completions", request));
    const second = await json(await post(app, "/v1/chat/completions", request));
    expect(first.choices[0].message.content.length).toBeGreaterThan(50);
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(second.usage).toEqual(first.usage);
  });

  it("streams role, content deltas, finish reason, usage and [DONE], matching the non-streamed text", async () => {
    const request = chatRequest({ max_tokens: 50 });
    const whole = await json(await post(app, "/v1/chat/completions", request));
    const response = await post(app, "/v1/chat/completions", { ...request, stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(response);

    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as Array<Record<string, any>>;
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: chunks[0]!.id, object: "chat.completion.chunk", model: MODEL });
    expect(chunks[0]!.choices[0].delta).toEqual({ role: "assistant", content: "" });
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(whole.usage);
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: "length" });
    const deltas = chunks.slice(1, -2);
    expect(deltas.length).toBeGreaterThan(10);
    for (const chunk of deltas) expect(chunk.usage).toBeNull();
    expect(deltas.map((c) => c.choices[0].delta.content).join("")).toBe(whole.choices[0].message.content);
  });

  it("streams without a usage chunk unless asked", async () => {
    const events = await readSse(await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 5, stream: true })));
    const chunks = events.slice(0, -1) as Array<Record<string, any>>;
    expect(events.at(-1)).toBe("[DONE]");
    expect(chunks.every((c) => !("usage" in c) && c.choices.length === 1)).toBe(true);
  });

  it("stops at a stop sequence with finish_reason stop, the sequence left out", async () => {
    const body = await json(await post(app, "/v1/chat/completions", chatRequest({ stop: ["Lily", "zzz"] })));
    // The stop matched inside the token " Lily"; node-llama-cpp drops that whole token, space included.
    expect(body.choices[0]).toMatchObject({ message: { content: ", there was a little girl named" }, finish_reason: "stop" });
  });

  it("refuses max_tokens above the configured cap with a 400 (no silent clamp)", async () => {
    const response = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 201 }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ type: "invalid_request_error", param: "max_tokens", code: "max_tokens_exceeded" });
    const other = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: undefined, max_completion_tokens: 500 }));
    expect((await json(other)).error.param).toBe("max_completion_tokens");
  });

  it("refuses a prompt longer than the context window", async () => {
    const response = await post(app, "/v1/chat/completions", chatRequest({ messages: [{ role: "user", content: "Once upon a time ".repeat(200) }] }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ param: "messages", message: expect.stringContaining("context window is 512 tokens") });
  });

  it("ends at the context window with finish_reason length", async () => {
    const body = await json(await post(app, "/v1/chat/completions", chatRequest({ messages: [{ role: "user", content: "Once upon a time ".repeat(93) }], max_tokens: 200 })));
    expect(body.choices[0].finish_reason).toBe("length");
    expect(body.usage.total_tokens).toBeLessThanOrEqual(512);
    expect(body.usage.completion_tokens).toBeLessThan(200);
  });
});

describe("POST /v1/completions", () => {
  it("continues the prompt (OpenAI's default of 16 tokens)", async () => {
    const response = await post(app, "/v1/completions", { model: MODEL, prompt: "Once upon a time", temperature: 0 });
    const body = await json(response);
    expect(body).toMatchObject({ object: "text_completion", choices: [{ index: 0, text: ", there was a little girl named Lily. She loved to play", finish_reason: "length" }] });
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 16, total_tokens: 22 });
  });

  it("streams text chunks whose concatenation is the non-streamed text", async () => {
    const request = { model: MODEL, prompt: "The cat", max_tokens: 40, temperature: 0 };
    const whole = await json(await post(app, "/v1/completions", request));
    const events = await readSse(await post(app, "/v1/completions", { ...request, stream: true, stream_options: { include_usage: true } }));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as Array<Record<string, any>>;
    expect(chunks.at(-1)!.usage).toEqual(whole.usage);
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe("length");
    expect(chunks.slice(0, -2).map((c) => c.choices[0].text).join("")).toBe(whole.choices[0].text);
  });
});

describe("chat with the GGUF chat template forced (chatFormat: template)", () => {
  it("renders the messages with node-llama-cpp's resolved wrapper (Llama2Chat for stories260K)", async () => {
    const templated = await loadEngines({ llm: new LlamaCppEngine({ modelPath: DEFAULT_GGUF_PATH, contextSize: 512, threads: 1, concurrency: 1, chatFormat: "template" }) });
    try {
      const templatedApp = createMinerApp({ engines: templated });
      const request = chatRequest({ messages: [{ role: "system", content: "You tell stories." }, { role: "user", content: "Once upon a time" }], max_tokens: 20 });
      const plain = await json(await post(app, "/v1/chat/completions", request));
      const body = await json(await post(templatedApp, "/v1/chat/completions", request));
      expect(body.choices[0].message.content.length).toBeGreaterThan(0);
      expect(body.usage.completion_tokens).toBe(20);
      // `[INST] <<SYS>> … <</SYS>> … [/INST]` costs prompt tokens that the plain join does not.
      expect(body.usage.prompt_tokens).toBeGreaterThan(plain.usage.prompt_tokens + 20);
    } finally {
      await closeEngines(templated);
    }
  });
});
