import { describe, expect, it } from "vitest";
import {
  admit,
  infer,
  inferStream,
  unitsFromReply,
  type InferenceCall,
  type InferenceDeps,
  type MinerModel,
  type MinerRecord,
  type Principal,
} from "../src/index.js";
import type { ScriptedMinerReply } from "../testing/index.js";
import { WORLD_OWNER, inferenceWorld } from "./support/inference-world.js";

const OWNER = WORLD_OWNER;
const A = "http://a.miners.test";
const B = "http://b.miners.test";
const C = "http://c.miners.test";
const DEADLINE_MS = 1_000;

const model = (id: string, modality: MinerModel["modality"], price: string): MinerModel => ({ id, modality, pricePerUnit: price });

/**
 * Three healthy miners serving "llama": A at 10 tinybars a token, B at 20, C at 30 (so A is tried
 * first, then B, then C), an account holding 1 000 000 tinybars, and every collaborator real.
 */
async function setup(options: { balance?: bigint; deadlineMs?: number; extraMiners?: Array<Partial<MinerRecord>> } = {}) {
  return inferenceWorld({
    miners: [
      { minerId: "0.0.1", endpoint: A, models: [model("llama", "llm", "10")] },
      { minerId: "0.0.2", endpoint: B, models: [model("llama", "llm", "20")] },
      { minerId: "0.0.3", endpoint: C, models: [model("llama", "llm", "30")] },
      ...(options.extraMiners ?? []),
    ],
    ...(options.balance !== undefined && { balance: options.balance }),
    deadlineMs: options.deadlineMs ?? DEADLINE_MS,
  });
}

const principal = (overrides: Partial<Principal> = {}): Principal => ({ ownerId: OWNER, keyId: "key_1", keyHash: "hash_1", spentTinybars: 0n, ...overrides });

const REQUEST_BODY = new TextEncoder().encode(JSON.stringify({ model: "llama", messages: [{ role: "user", content: "hi" }] }));

const aCall = (overrides: Partial<InferenceCall> = {}): InferenceCall => ({
  principal: principal(),
  operation: "chat.completions",
  model: "llama",
  body: REQUEST_BODY,
  contentType: "application/json",
  requestId: "req_1",
  source: "sync",
  ...overrides,
});

const completion = (totalTokens: number): ScriptedMinerReply => ({ body: { id: "c1", object: "chat.completion", choices: [], usage: { prompt_tokens: 1, completion_tokens: totalTokens - 1, total_tokens: totalTokens } } });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("admit", () => {
  it("lets a key within its rate limit and with a balance through", async () => {
    const { deps } = await setup();
    await expect(admit(deps, principal())).resolves.toBeUndefined();
  });

  it("refuses (429) past the network's default rate, with Retry-After", async () => {
    // Prepare
    const { deps } = await setup();
    for (let i = 0; i < 60; i++) await admit(deps, principal());
    // Act / Assess
    await expect(admit(deps, principal())).rejects.toMatchObject({
      name: "DomainError",
      code: "rate_limited",
      retryAfterSeconds: 1,
      message: "Rate limit of 60 requests per minute reached for this API key. Retry after 1 s.",
    });
  });

  it("applies the key's own rate limit instead of the default", async () => {
    const { deps } = await setup();
    const limited = principal({ rateLimitPerMinute: 2 });
    await admit(deps, limited);
    await admit(deps, limited);
    await expect(admit(deps, limited)).rejects.toMatchObject({ code: "rate_limited", retryAfterSeconds: 30 });
  });

  it("checks the rate before the balance: a throttled key with no money gets 429", async () => {
    // Prepare
    const { deps } = await setup({ balance: 0n });
    const limited = principal({ rateLimitPerMinute: 1 });
    // Act / Assess
    await expect(admit(deps, limited)).rejects.toMatchObject({ code: "payment_required" });
    await expect(admit(deps, limited)).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("refuses (402) an account with nothing left", async () => {
    const { deps } = await setup({ balance: 0n });
    await expect(admit(deps, principal())).rejects.toMatchObject({ code: "payment_required" });
  });

  it("refuses (402) a key past its spending limit", async () => {
    const { deps } = await setup();
    await expect(admit(deps, principal({ spendLimitTinybars: 100n, spentTinybars: 100n }))).rejects.toMatchObject({ code: "payment_required" });
  });
});

describe("infer", () => {
  it("sends the request unchanged to the best miner and meters it at that miner's price", async () => {
    // Prepare
    const { deps, transport, meter, balanceNow, charges } = await setup();
    transport.script(A, completion(42));
    // Act
    const { reply, candidate, usage } = await infer(deps, aCall());
    await meter.drain();
    // Assess
    expect(reply.status).toBe(200);
    expect(JSON.parse(text(reply.body))).toMatchObject({ usage: { total_tokens: 42 } });
    expect(candidate.minerId).toBe("0.0.1");
    expect(transport.calls).toHaveLength(1);
    expect(transport.calls[0]).toMatchObject({ mode: "send", request: { endpoint: A, path: "/v1/chat/completions", contentType: "application/json", body: REQUEST_BODY, requestId: "req_1" } });
    expect(transport.calls[0]!.request.timeoutMs).toBeLessThanOrEqual(DEADLINE_MS);
    expect(transport.calls[0]!.request.timeoutMs).toBeGreaterThan(DEADLINE_MS - 100);
    const expected = {
      id: "req_1",
      ownerId: OWNER,
      keyId: "key_1",
      keyHash: "hash_1",
      operation: "chat.completions",
      model: "llama",
      modality: "llm",
      minerId: "0.0.1",
      unit: "token",
      units: 42,
      pricePerUnit: 10n,
      cost: 420n,
      source: "sync",
      createdAt: "2030-01-01T00:00:00.000Z",
    };
    expect(usage).toEqual(expected);
    expect(await charges()).toEqual([expected]);
    expect(await balanceNow()).toBe(999_580n);
  });

  it.each([
    ["a 500", { status: 500, body: { error: "boom" } }],
    ["a 502", { status: 502 }],
    ["a 503", { status: 503 }],
    ["a 429", { status: 429, headers: { "retry-after": "5" } }],
    ["an unreachable miner", { unreachable: "connect ECONNREFUSED" }],
    ["a timeout", { unreachable: "no answer within 1000 ms", timedOut: true }],
  ] satisfies Array<[string, ScriptedMinerReply]>)("fails over on %s and charges at the serving miner's price", async (_, failure) => {
    // Prepare
    const { deps, transport, meter, balanceNow } = await setup();
    transport.script(A, failure).script(B, completion(42));
    // Act
    const { reply, candidate, usage } = await infer(deps, aCall());
    await meter.drain();
    // Assess
    expect(reply.status).toBe(200);
    expect(candidate.minerId).toBe("0.0.2");
    expect(transport.endpoints).toEqual([A, B]);
    expect(usage).toMatchObject({ minerId: "0.0.2", units: 42, pricePerUnit: 20n, cost: 840n });
    expect(await balanceNow()).toBe(999_160n);
  });

  it("tries every miner in order before giving up with upstream_failed, and charges nothing", async () => {
    // Prepare
    const { deps, transport, meter, logger, balanceNow } = await setup();
    transport.script(A, { status: 503 }).script(B, { unreachable: "connect ECONNREFUSED" }).script(C, { status: 500 });
    // Act / Assess
    await expect(infer(deps, aCall())).rejects.toMatchObject({
      code: "upstream_failed",
      retryAfterSeconds: 1,
      message: "Every miner serving 'llama' failed (3 tried). Retry shortly.",
    });
    expect(transport.endpoints).toEqual([A, B, C]);
    await meter.drain();
    expect(await balanceNow()).toBe(1_000_000n);
    expect(logger.at("warn")).toEqual([
      { level: "warn", message: "no miner could serve the request", attributes: { requestId: "req_1", model: "llama", failures: ["0.0.1: HTTP 503", "0.0.2: connect ECONNREFUSED", "0.0.3: HTTP 500"] } },
    ]);
  });

  it("says the miners timed out when every one of them did", async () => {
    const { deps, transport } = await setup();
    for (const endpoint of [A, B, C]) transport.script(endpoint, { unreachable: "no answer", timedOut: true });
    await expect(infer(deps, aCall())).rejects.toMatchObject({ code: "upstream_failed", message: "Every miner serving 'llama' timed out (3 tried). Retry shortly." });
  });

  it("gives the next miner only what is left of the request's deadline", async () => {
    // Prepare
    const { deps, transport } = await setup({ deadlineMs: 200 });
    transport.script(A, { status: 503, delayMs: 40 }).script(B, completion(1));
    // Act
    await infer(deps, aCall());
    // Assess
    const [first, second] = transport.calls;
    expect(first!.request.timeoutMs).toBeLessThanOrEqual(200);
    expect(second!.request.timeoutMs).toBeLessThanOrEqual(200 - 40);
    expect(second!.request.timeoutMs).toBeGreaterThan(0);
  });

  it("stops failing over once the deadline has passed", async () => {
    // Prepare: the first miner never answers within the whole deadline
    const { deps, transport } = await setup({ deadlineMs: 25 });
    transport.script(A, { ...completion(1), delayMs: 10_000 }).script(B, completion(1));
    // Act / Assess
    await expect(infer(deps, aCall())).rejects.toMatchObject({ code: "upstream_failed", message: "Every miner serving 'llama' timed out (1 tried). Retry shortly." });
    expect(transport.endpoints).toEqual([A]);
  });

  it.each([400, 413, 415, 422])("returns a miner's %i as is, without failing over or charging", async (status) => {
    // Prepare
    const { deps, transport, meter, balanceNow } = await setup();
    transport.script(A, { status, body: { error: { message: "bad request", type: "invalid_request_error" } } }).script(B, completion(1));
    // Act
    const result = await infer(deps, aCall());
    await meter.drain();
    // Assess
    expect(result.reply.status).toBe(status);
    expect(JSON.parse(text(result.reply.body))).toEqual({ error: { message: "bad request", type: "invalid_request_error" } });
    expect(result.usage).toBeUndefined();
    expect(transport.endpoints).toEqual([A]);
    expect(await balanceNow()).toBe(1_000_000n);
  });

  it("rests a miner after three failed requests in a row, then tries it again", async () => {
    // Prepare: the only miner serving "solo" fails three requests
    const { deps, transport, clock } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://solo.test", models: [model("solo", "llm", "5")] }] });
    transport.script("http://solo.test", { status: 503 }, { status: 503 }, { status: 503 }, completion(2));
    for (let i = 1; i <= 3; i++) await expect(infer(deps, aCall({ model: "solo", requestId: `req_${i}` }))).rejects.toMatchObject({ code: "upstream_failed" });
    // Act / Assess: resting, it is not even called
    await expect(infer(deps, aCall({ model: "solo", requestId: "req_4" }))).rejects.toMatchObject({ code: "unavailable", retryAfterSeconds: 5 });
    expect(transport.calls).toHaveLength(3);
    clock.advance(10_000);
    const { usage } = await infer(deps, aCall({ model: "solo", requestId: "req_5" }));
    expect(usage).toMatchObject({ minerId: "0.0.9", units: 2, cost: 10n });
    expect(transport.calls).toHaveLength(4);
  });

  it("says not_found for a model no miner has ever offered", async () => {
    const { deps, transport } = await setup();
    await expect(infer(deps, aCall({ model: "gpt-9" }))).rejects.toMatchObject({ name: "DomainError", code: "not_found", param: "model" });
    expect(transport.calls).toEqual([]);
  });

  it("says unavailable (503, Retry-After) for a known model whose miners are all unhealthy", async () => {
    const { deps, transport } = await setup({
      extraMiners: [{ minerId: "0.0.9", endpoint: "http://sick.test", models: [model("mistral", "llm", "5")], health: { healthy: false, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 0, consecutiveFailures: 4 } }],
    });
    await expect(infer(deps, aCall({ model: "mistral" }))).rejects.toMatchObject({ code: "unavailable", param: "model", retryAfterSeconds: 5 });
    expect(transport.calls).toEqual([]);
  });

  it("refuses (400) a model of the wrong modality for the operation", async () => {
    const { deps, transport } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://embed.test", models: [model("bge", "embeddings", "1")] }] });
    await expect(infer(deps, aCall({ model: "bge" }))).rejects.toMatchObject({ code: "invalid_request", param: "model", message: expect.stringContaining("is a embeddings model; it cannot serve chat.completions") });
    expect(transport.calls).toEqual([]);
  });

  it("serves a chat completion with a vision model", async () => {
    const { deps, transport } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://eyes.test", models: [model("llava", "vision", "3")] }] });
    transport.script("http://eyes.test", completion(10));
    const { usage } = await infer(deps, aCall({ model: "llava" }));
    expect(usage).toMatchObject({ minerId: "0.0.9", modality: "vision", units: 10, pricePerUnit: 3n, cost: 30n });
  });

  it("charges the units the gateway measured when it gives them (speech: characters)", async () => {
    // Prepare
    const { deps, transport, meter, logger, balanceNow } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://voice.test", models: [model("flite", "tts", "2")] }] });
    transport.script("http://voice.test", { contentType: "audio/wav", body: new Uint8Array([82, 73, 70, 70, 0, 1]) });
    // Act
    const { reply, usage } = await infer(deps, aCall({ operation: "audio.speech", model: "flite", requestUnits: 120 }));
    await meter.drain();
    // Assess
    expect(reply.contentType).toBe("audio/wav");
    expect(transport.calls[0]!.request.path).toBe("/v1/audio/speech");
    expect(usage).toMatchObject({ operation: "audio.speech", modality: "tts", unit: "character", units: 120, pricePerUnit: 2n, cost: 240n });
    expect(await balanceNow()).toBe(999_760n);
    expect(logger.at("warn")).toEqual([]);
  });

  it("charges a transcription by the seconds the miner reports, rounded up", async () => {
    const { deps, transport } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://ears.test", models: [model("whisper", "stt", "100")] }] });
    transport.script("http://ears.test", { body: { text: "hello", duration: 3.2 } });
    const { usage } = await infer(deps, aCall({ operation: "audio.transcriptions", model: "whisper", contentType: "multipart/form-data; boundary=x" }));
    expect(usage).toMatchObject({ unit: "second", units: 4, cost: 400n });
  });

  it("charges nothing, and says so, when the miner's reply carries no usage", async () => {
    // Prepare
    const { deps, transport, meter, logger, balanceNow } = await setup();
    transport.script(A, { body: "not json" });
    // Act
    const { usage } = await infer(deps, aCall());
    await meter.drain();
    // Assess
    expect(usage).toMatchObject({ units: 0, cost: 0n });
    expect(await balanceNow()).toBe(1_000_000n);
    expect(logger.at("warn")).toEqual([{ level: "warn", message: "miner reply carried no usage; charged nothing", attributes: { minerId: "0.0.1", requestId: "req_1" } }]);
  });

  it("bills the tokens it counts itself, and says so, when a chat reply is JSON without usage", async () => {
    // Prepare
    const { deps, transport, meter, logger, balanceNow } = await setup();
    transport.script(A, { body: { id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Hello there" } }] } });
    // Act
    const { usage, reply } = await infer(deps, aCall());
    await meter.drain();
    // Assess: prompt "user" + "hi" + 3 per message + 3 for the reply = 8, completion "Hello there" = 2
    expect(usage).toMatchObject({ units: 10, cost: 100n });
    expect(JSON.parse(text(reply.body))).toMatchObject({ id: "c1", usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } });
    expect(await balanceNow()).toBe(1_000_000n - 100n);
    expect(logger.at("warn")).toEqual([{ level: "warn", message: "miner reply carried no usage; billed the tokens the gateway counted", attributes: { minerId: "0.0.1", requestId: "req_1", tokens: 10 } }]);
  });

  it("serves a reply it cannot count (nested too deep to serialise), charging nothing and logging why, rather than failing after the work", async () => {
    const { deps, transport, logger } = await setup();
    const deep = `{"choices":[{"message":{"content":null,"tool_calls":${"[".repeat(20_000)}${"]".repeat(20_000)}}}]}`;
    transport.script(A, { body: deep });
    const { usage, reply } = await infer(deps, aCall());
    expect(usage).toMatchObject({ units: 0, cost: 0n });
    expect(text(reply.body)).toBe(deep);
    expect(logger.at("error").map((entry) => entry.message)).toEqual(["the gateway could not count the tokens of a reply without usage"]);
  });

  it("never bills a counted reply past the request's bound", async () => {
    const { deps, transport } = await setup();
    transport.script(A, { body: { choices: [{ message: { content: "word ".repeat(500) } }] } });
    const { usage } = await infer(deps, aCall({ maxUnits: 20 }));
    expect(usage).toMatchObject({ units: 20, cost: 200n });
  });

  it("counts an embeddings request's inputs when the reply has no usage: text by the tokenizer, token ids by their number", async () => {
    const { deps, transport } = await setup({ extraMiners: [{ minerId: "0.0.9", endpoint: "http://vectors.test", models: [model("embed", "embeddings", "1")] }] });
    transport.script("http://vectors.test", { body: { data: [] } }, { body: { data: [] } }, { body: { data: [] } });
    const call = (input: unknown, requestId: string) => aCall({ operation: "embeddings", model: "embed", requestId, body: new TextEncoder().encode(JSON.stringify({ model: "embed", input })) });
    await expect(infer(deps, call(["hi", "Hello there"], "r1"))).resolves.toMatchObject({ usage: { units: 3 } });
    await expect(infer(deps, call([[1, 2, 3], [4]], "r2"))).resolves.toMatchObject({ usage: { units: 4 } });
    await expect(infer(deps, call([1, 2, 3], "r3"))).resolves.toMatchObject({ usage: { units: 3 } });
  });

  it("serves a reply of JSON null, or with absurd counts, rather than failing after the work (nothing to count in null; absurd counts are replaced by the gateway's)", async () => {
    const { deps, transport, logger } = await setup();
    transport.script(A, { body: "null" }, { body: { usage: { total_tokens: 1e300 } } });
    await expect(infer(deps, aCall({ requestId: "req_1" }))).resolves.toMatchObject({ usage: { units: 0, cost: 0n } });
    await expect(infer(deps, aCall({ requestId: "req_2" }))).resolves.toMatchObject({ usage: { units: 8, cost: 80n } });
    expect(logger.at("warn").map((entry) => entry.message)).toEqual(["miner reply carried no usage; charged nothing", "miner reply carried no usage; billed the tokens the gateway counted"]);
  });

  it("returns a job's usage without recording it (the job charges itself)", async () => {
    // Prepare
    const { deps, transport, meter, balanceNow } = await setup();
    transport.script(A, completion(5));
    // Act
    const { usage } = await infer(deps, aCall({ source: "job", requestId: "job_1" }));
    // Assess
    expect(meter.inFlight).toBe(0);
    expect(usage).toMatchObject({ id: "job_1", source: "job", cost: 50n });
    await meter.drain();
    expect(await balanceNow()).toBe(1_000_000n);
  });

  it("counts a running request as pending spend until its charge lands", async () => {
    const { deps, transport, meter } = await setup();
    transport.script(A, completion(5));
    await infer(deps, aCall());
    expect(meter.pendingForOwner(OWNER)).toBe(50n);
    await meter.drain();
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
  });
});

describe("unitsFromReply", () => {
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it.each([
    ["total tokens", "chat.completions", { usage: { total_tokens: 42, prompt_tokens: 1, completion_tokens: 1 } }, 42],
    ["prompt plus completion tokens when there is no total", "chat.completions", { usage: { prompt_tokens: 30, completion_tokens: 12 } }, 42],
    ["prompt tokens alone (embeddings)", "embeddings", { usage: { prompt_tokens: 8 } }, 8],
    ["zero tokens", "chat.completions", { usage: { total_tokens: 0 } }, 0],
    ["seconds from usage", "audio.transcriptions", { usage: { seconds: 2.01 } }, 3],
    ["seconds from duration", "audio.transcriptions", { duration: 7 }, 7],
  ] as const)("reads %s", (_, operation, reply, units) => {
    expect(unitsFromReply(operation, json(reply))).toBe(units);
  });

  it.each([
    ["a body that is not JSON", new TextEncoder().encode("<html>")],
    ["JSON null", json(null)],
    ["JSON without usage", json({ id: "c1" })],
    ["usage without counts", json({ usage: {} })],
    ["negative counts", json({ usage: { total_tokens: -5 } })],
    ["counts that are strings", json({ usage: { total_tokens: "42" } })],
    ["counts too large to price", json({ usage: { total_tokens: 1e300 } })],
    ["counts whose sum is too large to price", json({ usage: { prompt_tokens: Number.MAX_SAFE_INTEGER, completion_tokens: Number.MAX_SAFE_INTEGER } })],
  ])("finds no usage in %s", (_, body) => {
    expect(unitsFromReply("chat.completions", body)).toBeUndefined();
  });

  it("finds no seconds in a transcription without them", () => {
    expect(unitsFromReply("audio.transcriptions", json({ text: "hi" }))).toBeUndefined();
  });
});

/** A chat completion stream as a miner sends it, with its usage-only last chunk. */
const sse = (payload: unknown) => `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
const delta = (content: string) => sse({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] });
const usageChunk = (total: number) => sse({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 2, completion_tokens: total - 2, total_tokens: total } });
const DONE = sse("[DONE]");

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of body) out += text(chunk);
  return out;
}

describe("inferStream", () => {
  it("streams the best miner's events and meters the usage of the final chunk, which the client did not ask for", async () => {
    // Prepare
    const { deps, transport, meter, balanceNow, charges } = await setup();
    transport.script(A, { chunks: [delta("Hel"), delta("lo"), usageChunk(9), DONE] });
    // Act
    const { head, candidate, body, errorBody } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    const received = await readAll(body);
    await meter.drain();
    // Assess
    expect(head.status).toBe(200);
    expect(head.contentType).toBe("text/event-stream");
    expect(errorBody).toBeUndefined();
    expect(candidate.minerId).toBe("0.0.1");
    expect(transport.calls[0]).toMatchObject({ mode: "stream", request: { endpoint: A, path: "/v1/chat/completions" } });
    expect(received).toBe(delta("Hel") + delta("lo") + DONE);
    expect(await charges()).toEqual([expect.objectContaining({ id: "req_1", minerId: "0.0.1", source: "stream", unit: "token", units: 9, pricePerUnit: 10n, cost: 90n })]);
    expect(await balanceNow()).toBe(999_910n);
  });

  it("passes the usage chunk on when the client asked for it", async () => {
    const { deps, transport } = await setup();
    transport.script(A, { chunks: [delta("Hi"), usageChunk(3), DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: true });
    expect(await readAll(body)).toBe(delta("Hi") + usageChunk(3) + DONE);
  });

  it("fails over when the first miner answers 503 before streaming, and meters at the serving miner's price", async () => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { status: 503, body: { error: "overloaded" } }).script(B, { chunks: [delta("ok"), usageChunk(4), DONE] });
    // Act
    const { candidate, body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    await readAll(body);
    await meter.drain();
    // Assess
    expect(candidate.minerId).toBe("0.0.2");
    expect(transport.endpoints).toEqual([A, B]);
    expect(await charges()).toEqual([expect.objectContaining({ minerId: "0.0.2", units: 4, pricePerUnit: 20n, cost: 80n })]);
  });

  it("returns a miner's 400 with its body and an empty stream, uncharged", async () => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { status: 400, body: { error: { message: "messages: required" } } });
    // Act
    const { head, body, errorBody } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    // Assess
    expect(head.status).toBe(400);
    expect(JSON.parse(text(errorBody!))).toEqual({ error: { message: "messages: required" } });
    expect(await readAll(body)).toBe("");
    await meter.drain();
    expect(await charges()).toEqual([]);
    expect(transport.endpoints).toEqual([A]);
  });

  it("charges a stream the miner cut off (no usage chunk) by the prompt it counts and the content chunks delivered", async () => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { chunks: [delta("a"), delta("b"), delta("c")], dropAfterChunks: true });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    // Act
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of body) received.push(text(chunk));
    })();
    // Assess
    await expect(reading).rejects.toThrow("connection lost mid-stream");
    expect(received.join("")).toBe(delta("a") + delta("b") + delta("c"));
    await meter.drain();
    // prompt: 8 tokens as counted (see the sync case above), completion: 3 chunks
    expect(await charges()).toEqual([expect.objectContaining({ units: 11, cost: 110n })]);
    expect(transport.calls[0]!.cancelled).toBe(true);
  });

  it("charges what was generated when the client goes away, and releases the miner", async () => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { chunks: [delta("a"), delta("b"), delta("c"), usageChunk(20), DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    // Act
    for await (const chunk of body) {
      void chunk;
      break;
    }
    await meter.drain();
    // Assess
    expect(transport.calls[0]!.cancelled).toBe(true);
    expect(await charges()).toEqual([expect.objectContaining({ units: 9, cost: 90n })]);
  });

  it("charges a stream that ended without usage by the prompt it counts and the content chunks", async () => {
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { chunks: [delta("a"), delta("b"), DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    await readAll(body);
    await meter.drain();
    expect(await charges()).toEqual([expect.objectContaining({ units: 10, cost: 100n })]);
    expect(transport.calls[0]!.cancelled).toBe(false);
  });

  it("fills the usage chunk a client asked for with its own count when the miner's says null, and bills that count", async () => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    const nullUsage = sse({ id: "c1", object: "chat.completion.chunk", choices: [], usage: null });
    transport.script(A, { chunks: [delta("a"), delta("b"), nullUsage, DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: true });
    // Act
    const received = await readAll(body);
    await meter.drain();
    // Assess: prompt 8 as counted, 2 content chunks, in order before [DONE]
    const filled = sse({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } });
    expect(received).toBe(delta("a") + delta("b") + filled + DONE);
    expect(await charges()).toEqual([expect.objectContaining({ units: 10, cost: 100n })]);
  });

  it("does not bill the prompt of a stream that ended without usage and without generating anything", async () => {
    const { deps, transport, meter, charges, logger } = await setup();
    transport.script(A, { chunks: [DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    await readAll(body);
    await meter.drain();
    expect(await charges()).toEqual([expect.objectContaining({ units: 0, cost: 0n })]);
    expect(logger.at("warn")).toEqual([]);
  });

  it.each([
    ["without total_tokens", { prompt_tokens: 2, completion_tokens: 5 }, 7],
    ["with a fractional total", { prompt_tokens: 2, completion_tokens: 5, total_tokens: 6.5 }, 7],
    ["with a string total (counted: 8 prompt, 2 chunks)", { total_tokens: "7" }, 10],
    ["with a negative total (counted)", { total_tokens: -7 }, 10],
  ])("still streams and charges when the miner's usage chunk is %s", async (_, usage, units) => {
    // Prepare
    const { deps, transport, meter, charges } = await setup();
    transport.script(A, { chunks: [delta("a"), delta("b"), sse({ id: "c1", object: "chat.completion.chunk", choices: [], usage }), DONE] });
    const { body } = await inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false });
    // Act
    const received = await readAll(body);
    await meter.drain();
    // Assess: the stream ends normally and the request is charged (reported tokens, else counted)
    expect(received).toBe(delta("a") + delta("b") + DONE);
    expect(await charges()).toEqual([expect.objectContaining({ units, cost: BigInt(units) * 10n })]);
  });

  it("gives up with upstream_failed when no miner can open the stream", async () => {
    const { deps, transport } = await setup();
    transport.script(A, { status: 502 }).script(B, { status: 503 }).script(C, { unreachable: "connect ECONNREFUSED" });
    await expect(inferStream(deps, { ...aCall({ source: "stream" }), clientWantsUsage: false })).rejects.toMatchObject({ code: "upstream_failed" });
    expect(transport.endpoints).toEqual([A, B, C]);
  });

  it("refuses a model nobody serves before contacting any miner", async () => {
    const { deps, transport } = await setup();
    await expect(inferStream(deps, { ...aCall({ model: "nope", source: "stream" }), clientWantsUsage: false })).rejects.toMatchObject({ code: "not_found" });
    expect(transport.calls).toEqual([]);
  });
});
