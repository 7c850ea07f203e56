import { describe, expect, it } from "vitest";
import { DEFAULT_COMPLETION_BOUND_TOKENS, OVERHEAD_TOKENS_PER_CHAT, OVERHEAD_TOKENS_PER_TEXT, admit, infer, inferStream, maxUnitsOf, type UnitBound } from "../src/index.js";
import { WORLD_OWNER, inferenceWorld } from "./support/inference-world.js";

const CHEAP = "http://cheap.test";
const DEAR = "http://dear.test";

async function setup(balance: bigint, miners: Array<{ endpoint: string; price: string; delayMs?: number; tokens?: number }>, principalExtra: { spendLimitTinybars?: bigint } = {}) {
  const world = await inferenceWorld({
    balance,
    miners: miners.map((m, i) => ({ minerId: `0.0.${i + 1}`, endpoint: m.endpoint, models: [{ id: "llama", modality: "llm", pricePerUnit: m.price }] })),
  });
  for (const m of miners) world.transport.script(m.endpoint, { body: { usage: { total_tokens: m.tokens ?? 10 } }, ...(m.delayMs !== undefined && { delayMs: m.delayMs }) });
  const principal = { ownerId: WORLD_OWNER, keyId: "key_1", keyHash: "hash_1", spentTinybars: 0n, ...principalExtra };
  const call = (maxUnits?: UnitBound) => ({ principal, operation: "chat.completions" as const, model: "llama", body: new TextEncoder().encode("{}"), contentType: "application/json", requestId: `r${Math.random()}`, source: "sync" as const, ...(maxUnits !== undefined && { maxUnits }) });
  return { ...world, principal, call };
}

describe("a request's worst-case cost", () => {
  it("is refused with 402 when no miner can serve it within what the account can spend, and nothing is dispatched", async () => {
    const { deps, transport, call } = await setup(100n, [{ endpoint: CHEAP, price: "10" }]);
    await expect(infer(deps, call(11))).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("110 tinybars") });
    expect(transport.calls).toHaveLength(0);
  });

  it("skips a miner the account cannot afford for one it can, even when routing prefers the dear one", async () => {
    const { deps, call } = await setup(500n, [{ endpoint: DEAR, price: "100" }, { endpoint: CHEAP, price: "40" }]);
    // Mark the cheap miner as slow so routing would try the dear one first.
    deps.routing.started("0.0.2");
    deps.routing.finished("0.0.2", { ok: true, latencyMs: 10_000 });
    expect((await deps.routing.candidates("llama")).map((c) => c.endpoint)).toEqual([DEAR, CHEAP]);
    const { candidate } = await infer(deps, call(10));
    expect(candidate.endpoint).toBe(CHEAP);
  });

  it("is not checked when the request has no bound", async () => {
    const { deps, call } = await setup(1n, [{ endpoint: CHEAP, price: "10" }]);
    await expect(infer(deps, call())).resolves.toMatchObject({ candidate: { endpoint: CHEAP } });
  });
});

describe("reservations while a request runs", () => {
  it("keep two concurrent requests from spending the same balance: the second is refused with 402", async () => {
    // 100 tinybars: each request may cost up to 6 units × 10 = 60, so only one fits at a time.
    const { deps, transport, call } = await setup(100n, [{ endpoint: CHEAP, price: "10", delayMs: 30, tokens: 5 }]);
    const [first, second] = await Promise.allSettled([infer(deps, call(6)), infer(deps, call(6))]);
    expect(first).toMatchObject({ status: "fulfilled" });
    expect(second).toMatchObject({ status: "rejected", reason: { code: "payment_required", message: expect.stringContaining("in flight") } });
    expect(transport.calls).toHaveLength(1);
  });

  it("make a request refused while they hold the whole balance say so, not that the balance is used up", async () => {
    const { deps, principal, call } = await setup(60n, [{ endpoint: CHEAP, price: "10", delayMs: 30, tokens: 5 }]);
    const running = infer(deps, call(6));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(admit(deps, principal)).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("in flight have reserved") });
    await running;
  });

  it("are let go when the request ends, leaving only its actual charge pending", async () => {
    const { deps, meter, call, balanceNow } = await setup(100n, [{ endpoint: CHEAP, price: "10", tokens: 5 }]);
    await infer(deps, call(6));
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(50n);
    await meter.drain();
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(0n);
    expect(await balanceNow()).toBe(50n);
    // And the balance left is spendable again.
    await expect(infer(deps, call(5))).resolves.toBeDefined();
  });

  it("of a job hold its actual cost as pending until the job's own charge has landed", async () => {
    const { deps, meter, call } = await setup(100n, [{ endpoint: CHEAP, price: "10", tokens: 5 }]);
    const { usage, release } = await infer(deps, { ...call(6), source: "job" });
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(50n);
    await meter.charge(usage!);
    release();
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(0n);
  });

  it("are let go when every miner fails", async () => {
    const { deps, meter, transport, call } = await setup(100n, [{ endpoint: CHEAP, price: "10" }]);
    transport.script(CHEAP, { unreachable: "connect ECONNREFUSED" });
    await expect(infer(deps, call(6))).rejects.toMatchObject({ code: "upstream_failed" });
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(0n);
  });

  it("count against the key's spending limit too", async () => {
    const { deps, call } = await setup(1_000n, [{ endpoint: CHEAP, price: "10" }], { spendLimitTinybars: 50n });
    await expect(infer(deps, call(6))).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("50 tinybars") });
  });

  it("of a stream dropped before it was read are let go, and its miner stream is cancelled", async () => {
    const { deps, meter, transport, principal } = await setup(100n, [{ endpoint: CHEAP, price: "10" }]);
    const streamed = await inferStream(deps, { principal, operation: "chat.completions", model: "llama", body: new Uint8Array(), contentType: "application/json", requestId: "s1", source: "stream", clientWantsUsage: false, maxUnits: 6 });
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(60n);
    await streamed.body[Symbol.asyncIterator]().return?.();
    expect(meter.pendingForOwner(WORLD_OWNER)).toBe(0n);
    expect(transport.calls[0]!.cancelled).toBe(true);
  });
});

describe("billing never exceeds the bound", () => {
  it("bills a miner's inflated usage report at the request's bound", async () => {
    const { deps, call, logger } = await setup(10_000n, [{ endpoint: CHEAP, price: "10", tokens: 1_000_000 }]);
    const { usage } = await infer(deps, call(40));
    expect(usage).toMatchObject({ units: 40, cost: 400n });
    expect(logger.entries.some((e) => e.message.includes("exceed what the request could use"))).toBe(true);
  });
});

describe("maxUnitsOf", () => {
  const llm = { modality: "llm" as const };
  const role = Buffer.byteLength('{"role":"user"}');
  it("bounds a chat by its prompt bytes and template tokens plus max_tokens, and a vision chat by its images", () => {
    const bound = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "héllo" }, { role: "user", content: [{ type: "text", text: "ab" }, { type: "image_url", image_url: { url: "data:" } }] }], max_tokens: 16 }) as Exclude<UnitBound, number>;
    expect(bound(llm)).toBe(OVERHEAD_TOKENS_PER_CHAT + 6 + 2 + 2 * (OVERHEAD_TOKENS_PER_TEXT + role) + 16);
    expect(bound({ modality: "vision" })).toBe(1);
    // An advertised context is not a cap of the whole: not every engine enforces it.
    expect(bound({ modality: "llm", contextLength: 20 })).toBe(bound(llm));
  });

  it("bounds a chat without max_tokens by the model's context, or by the default completion bound", () => {
    const bound = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "abc" }] }) as Exclude<UnitBound, number>;
    const prompt = OVERHEAD_TOKENS_PER_CHAT + 3 + OVERHEAD_TOKENS_PER_TEXT + role;
    expect(bound({ modality: "llm", contextLength: 2_048 })).toBe(prompt + 2_048);
    expect(bound(llm)).toBe(prompt + DEFAULT_COMPLETION_BOUND_TOKENS);
  });

  it("bounds a chat without max_tokens by the longest completion the serving miner declares", () => {
    const bound = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "abc" }] }) as Exclude<UnitBound, number>;
    const prompt = OVERHEAD_TOKENS_PER_CHAT + 3 + OVERHEAD_TOKENS_PER_TEXT + role;
    expect(bound({ modality: "llm", contextLength: 4_096, maxCompletionTokens: 256 })).toBe(prompt + 256);
    expect(bound({ modality: "llm", maxCompletionTokens: 256 })).toBe(prompt + 256);
    // A request's own limit still counts first.
    const limited = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "abc" }], max_tokens: 10 }) as Exclude<UnitBound, number>;
    expect(limited({ modality: "llm", maxCompletionTokens: 256 })).toBe(prompt + 10);
  });

  it("counts what a template renders besides text (tools, tool calls, response formats), every choice, and the larger completion limit", () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }];
    const call = { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }] };
    const plain = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "hi" }], max_tokens: 10 }) as Exclude<UnitBound, number>;
    const rich = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "hi" }, call], tools, response_format: { type: "json_object" }, max_tokens: 10, max_completion_tokens: 50, n: 3 }) as Exclude<UnitBound, number>;
    const extra = Buffer.byteLength(JSON.stringify(tools)) + Buffer.byteLength(JSON.stringify({ type: "json_object" })) + OVERHEAD_TOKENS_PER_TEXT + Buffer.byteLength(JSON.stringify({ role: "assistant", tool_calls: call.tool_calls }));
    expect(rich(llm)).toBe(plain(llm)! - 10 + extra + 3 * 50);
  });

  it("uses the exact units where the gateway measures them, and input bytes plus overhead for embeddings", () => {
    expect(maxUnitsOf("audio.speech", { input: "hello" })).toBe(5);
    expect(maxUnitsOf("vision.analyze", {})).toBe(1);
    expect(maxUnitsOf("embeddings", { input: ["ab", "c"] })).toBe(3 + 2 * OVERHEAD_TOKENS_PER_TEXT);
    // Token-id inputs: each list counts its ids; one flat list is one id per entry.
    expect(maxUnitsOf("embeddings", { input: [Array.from({ length: 100 }, (_, i) => i), [1]] })).toBe(101 + 2 * OVERHEAD_TOKENS_PER_TEXT);
    expect(maxUnitsOf("embeddings", { input: [1, 2, 3] })).toBe(3 * OVERHEAD_TOKENS_PER_TEXT);
  });
});
