import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { DEFAULT_GGUF_PATH, resolveConfig } from "../src/config.js";
import { createEngines } from "../src/engines/create-engines.js";
import { LlamaCppEngine } from "../src/engines/llama-cpp-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { UpstreamLlmEngine } from "../src/engines/upstream-llm-engine.js";
import { startMiner, type RunningMiner } from "../src/server.js";
import { json, MODEL, ONLY_TEXT_ENGINES, post, readSse } from "./helpers.js";

/**
 * The upstream is a real OpenAI-compatible server: a second reference miner serving stories260K with
 * node-llama-cpp, without dispatch auth. The miner under test reaches it through a TCP proxy that
 * can cut the connection, which is how the upstream "dies" mid-flight.
 */
const ADVERTISED = "remote-stories";
const UPSTREAM_MAX_TOKENS = 100;

/** Forwards bytes both ways; `failNext` breaks the next exchange: `drop` closes on the request, a number cuts the answer after that many bytes. */
class CuttingProxy {
  failNext: "drop" | number | null = null;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = "";

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      const kill = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("data", (data) => {
        if (this.failNext === "drop") {
          this.failNext = null;
          kill();
        } else upstream.write(data);
      });
      upstream.on("data", (data) => {
        if (typeof this.failNext === "number") {
          const keep = this.failNext;
          this.failNext = null;
          client.write(data.subarray(0, keep), kill);
        } else client.write(data);
      });
      client.on("close", kill);
      upstream.on("close", kill);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, "127.0.0.1", done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

let upstreamEngines: EngineRegistry;
let upstream: RunningMiner;
let proxy: CuttingProxy;
let engines: EngineRegistry;
let app: MinerApp;

beforeAll(async () => {
  upstreamEngines = await loadEngines({ llm: new LlamaCppEngine({ modelPath: DEFAULT_GGUF_PATH, contextSize: 512, threads: 1, concurrency: 1 }) });
  upstream = await startMiner({ port: 0, engines: upstreamEngines, config: { limits: { maxTokens: UPSTREAM_MAX_TOKENS } } });
  proxy = await new CuttingProxy({ host: "127.0.0.1", port: upstream.port }).start();
  // Through createEngines, as the CLI builds it: the miner advertises its own id for the upstream's model.
  const config = resolveConfig({ ...ONLY_TEXT_ENGINES, embeddings: { enabled: false }, llm: { modelId: ADVERTISED, upstream: { baseUrl: `${proxy.url}/v1`, model: MODEL } }, limits: { maxTokens: 200 } });
  engines = await loadEngines(createEngines(config));
  app = createMinerApp({ engines, config });
});
afterAll(async () => {
  await closeEngines(engines ?? {});
  await proxy?.close();
  await upstream?.close();
  await closeEngines(upstreamEngines ?? {});
});

const upstreamPost = async (path: string, body: unknown) =>
  (await fetch(`${upstream.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json() as Promise<any>;

const chatRequest = (extra: Record<string, unknown> = {}) => ({ model: ADVERTISED, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 60, temperature: 0, ...extra });
const llm = () => engines.llm!.engine as UpstreamLlmEngine;
const params = (extra: Record<string, unknown> = {}) => ({ maxTokens: 60, temperature: 0, topP: 1, stop: [], frequencyPenalty: 0, presencePenalty: 0, ...extra });

describe("UpstreamLlmEngine against a second reference miner", () => {
  it("loads after checking the upstream lists the model, and advertises the miner's own id", async () => {
    expect(engines.llm).toMatchObject({ status: "ready" });
    const models = await json(await app.request("/v1/models"));
    expect(models.data).toEqual([expect.objectContaining({ id: ADVERTISED, modality: "llm", context_length: 4096, backend: "openai-upstream" })]);
  });

  it("answers chat with the upstream's text and usage, under the advertised model id", async () => {
    const direct = await upstreamPost("/v1/chat/completions", { ...chatRequest(), model: MODEL });
    const response = await post(app, "/v1/chat/completions", chatRequest());
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: "chat.completion", model: ADVERTISED, choices: [{ message: { role: "assistant" }, finish_reason: "length" }] });
    expect(body.choices[0].message.content).toMatch(/^, there was a little girl named Lily\./);
    expect(body.choices[0].message.content).toBe(direct.choices[0].message.content);
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 60, total_tokens: 66 });
    expect(body.usage).toEqual(direct.usage);
  });

  it("answers legacy completions, with stop sequences and finish reason stop passed through", async () => {
    const request = { model: ADVERTISED, prompt: "Once upon a time", max_tokens: 40, temperature: 0, stop: ["Lily"] };
    const direct = await upstreamPost("/v1/completions", { ...request, model: MODEL });
    const body = await json(await post(app, "/v1/completions", request));
    expect(body).toMatchObject({ object: "text_completion", model: ADVERTISED, choices: [{ text: direct.choices[0].text, finish_reason: "stop" }] });
    expect(body.choices[0].text).not.toContain("Lily");
    expect(body.usage).toEqual(direct.usage);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it("refuses the upstream's own model name: only the advertised id is served", async () => {
    const response = await post(app, "/v1/chat/completions", chatRequest({ model: MODEL }));
    expect(response.status).toBe(404);
    expect((await json(response)).error.code).toBe("model_not_found");
  });

  it("streams the upstream's deltas as they come, with the usage at the end", async () => {
    const whole = await json(await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 50 })));
    const response = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 50, stream: true, stream_options: { include_usage: true } }));
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as Array<Record<string, any>>;
    const deltas = chunks.slice(1, -2);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.map((c) => c.choices[0].delta.content).join("")).toBe(whole.choices[0].message.content);
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ finish_reason: "length" });
    expect(chunks.at(-1)!).toMatchObject({ choices: [], usage: whole.usage });
  });

  it("asks the upstream for usage when streaming even if the client did not", async () => {
    const pieces: string[] = [];
    const result = await llm().complete("Once upon a time", params({ maxTokens: 30, onText: (t: string) => pieces.push(t) }));
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join("")).toBe(result.text);
    // BOS + 5 prompt tokens, as the upstream counted them.
    expect(result).toMatchObject({ promptTokens: 6, completionTokens: 30, finishReason: "length" });
  });

  it("aborts: returns what arrived, cancels the upstream request, and the upstream serves the next one", async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = await llm().chat([{ role: "user", content: "Once upon a time" }], params({
      maxTokens: 100,
      signal: controller.signal,
      onText: (t: string) => {
        pieces.push(t);
        controller.abort();
      },
    }));
    expect(pieces).toHaveLength(1);
    expect(result.text).toBe(pieces[0]);
    expect(result.finishReason).toBe("stop");
    const next = await post(app, "/v1/completions", { model: ADVERTISED, prompt: "Tom", max_tokens: 5, temperature: 0 });
    expect(next.status).toBe(200);
  });

  it("frees its slot when an HTTP client walks away mid-stream", async () => {
    const miner = await startMiner({ port: 0, engines, config: { llm: { modelId: ADVERTISED, maxQueue: 0 }, limits: { maxTokens: 200 } } });
    try {
      const controller = new AbortController();
      const response = await fetch(`${miner.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(chatRequest({ max_tokens: 100, stream: true })),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      controller.abort();
      // With one slot and no queue, a leaked slot would answer 429.
      await new Promise((r) => setTimeout(r, 50));
      const next = await fetch(`${miner.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chatRequest({ max_tokens: 5 })) });
      expect(next.status).toBe(200);
    } finally {
      await miner.close();
    }
  });

  it("passes the upstream's 400 on as a 400 with its message, code and param", async () => {
    // This miner allows 200 tokens; the upstream only 100.
    const response = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 150 }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toEqual({
      type: "invalid_request_error",
      message: `max_tokens is too large: 150. This miner generates at most ${UPSTREAM_MAX_TOKENS} tokens per request.`,
      code: "max_tokens_exceeded",
      param: "max_tokens",
    });
  });

  it("answers 503 with the upstream's reason while the upstream's engine is off", async () => {
    const state = upstreamEngines.llm!;
    state.status = "off";
    state.reason = "maintenance";
    try {
      const response = await post(app, "/v1/completions", { model: ADVERTISED, prompt: "Tom", max_tokens: 5 });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect((await json(response)).error.message).toMatch(/upstream LLM server is unavailable: .*llm engine is off: maintenance/);
    } finally {
      state.status = "ready";
      delete state.reason;
    }
  });

  it("answers 502 when the upstream dies mid-answer, and keeps serving", async () => {
    proxy.failNext = "drop";
    const dropped = await post(app, "/v1/completions", { model: ADVERTISED, prompt: "Tom", max_tokens: 5 });
    expect(dropped.status).toBe(502);
    expect((await json(dropped)).error).toMatchObject({ type: "server_error", code: "upstream_failed" });

    // Streaming: the 200 header and some chunks went out, then the upstream's connection is cut.
    proxy.failNext = 600;
    const streamed = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 100, stream: true }));
    expect(streamed.status).toBe(200);
    const events = await readSse(streamed);
    expect(events).not.toContain("[DONE]");
    expect(events.at(-1)).toMatchObject({ error: { type: "server_error", code: "upstream_failed" } });
    expect((events.at(-1) as any).error.message).toMatch(/upstream LLM server failed mid-response/);

    const after = await post(app, "/v1/chat/completions", chatRequest({ max_tokens: 5 }));
    expect(after.status).toBe(200);
  });
});

describe("UpstreamLlmEngine when the upstream is missing or misbehaves", () => {
  it("stays off when the upstream is not reachable, and capabilities say where it looked", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const config = resolveConfig({ llm: { upstream: { baseUrl: `http://127.0.0.1:${port}`, model: "llama3" } } });
    const registry = await loadEngines({ llm: createEngines(config).llm! });
    const offApp = createMinerApp({ engines: registry, config });
    const caps = await json(await offApp.request("/v1/capabilities"));
    expect(caps.modalities.llm.status).toBe("off");
    expect(caps.modalities.llm.reason).toContain(`upstream LLM server http://127.0.0.1:${port}/v1/models is not reachable: ECONNREFUSED`);
    const response = await post(offApp, "/v1/chat/completions", { model: "llama3", messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(503);
    expect((await json(response)).error.code).toBe("engine_unavailable");
  });

  it("stays off when the upstream does not list the model, naming what it serves", async () => {
    const engine = new UpstreamLlmEngine({ baseUrl: upstream.url, upstreamModel: "llama3", contextSize: 4096, timeoutMs: 5000 });
    expect(await engine.load()).toEqual({ ok: false, reason: `upstream LLM server ${upstream.url}/v1/models does not serve the model 'llama3'; it serves: ${MODEL} (set llm.upstream.model or --llm-upstream-model)` });
  });

  it("takes the only model the upstream lists when none is configured", async () => {
    const engine = new UpstreamLlmEngine({ baseUrl: upstream.url, contextSize: 4096, timeoutMs: 5000 });
    expect(engine.modelIds).toEqual([]);
    expect(await engine.load()).toEqual({ ok: true });
    expect(engine.modelIds).toEqual([MODEL]);
  });

  it("sends the API key as a bearer token, reports no counts when the upstream reports no usage, and times out", async () => {
    // A tiny recording server: the one thing a real upstream cannot show is which headers arrived.
    const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
    const server = createHttpServer((request, response) => {
      seen.push({ url: request.url ?? "", headers: request.headers });
      if (request.url === "/v1/models") return void response.end(JSON.stringify({ object: "list", data: [{ id: "m" }] }));
      let body = "";
      request.setEncoding("utf8").on("data", (d: string) => (body += d)).on("end", () => {
        if ((JSON.parse(body) as { model: string }).model === "hang") return; // never answers
        response.end(JSON.stringify({ choices: [{ text: "hello", finish_reason: "stop" }] }));
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
    try {
      const engine = new UpstreamLlmEngine({ baseUrl: base, apiKey: "sk-test", upstreamModel: "m", contextSize: 4096, timeoutMs: 300 });
      expect(await engine.load()).toEqual({ ok: true });
      expect(await engine.complete("hi", params())).toEqual({ text: "hello", finishReason: "stop" });
      expect(seen.map((s) => [s.url, s.headers.authorization])).toEqual([
        ["/v1/models", "Bearer sk-test"],
        ["/v1/completions", "Bearer sk-test"],
      ]);
      // No answer within timeoutMs → 502.
      const hanging = new UpstreamLlmEngine({ baseUrl: base, upstreamModel: "hang", contextSize: 4096, timeoutMs: 300 });
      await expect(hanging.complete("hi", params())).rejects.toMatchObject({ code: "upstream_failed", message: "The upstream LLM server sent nothing for 300 ms (before answering)." });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
