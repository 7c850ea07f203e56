import { describe, expect, it } from "vitest";
import { infer, maxUnitsOf } from "../src/index.js";
import { WORLD_OWNER, inferenceWorld } from "./support/inference-world.js";

const CHEAP = "http://cheap.test";
const DEAR = "http://dear.test";

async function setup(balance: bigint, miners: Array<{ endpoint: string; price: string }>) {
  const { deps, transport } = await inferenceWorld({
    balance,
    miners: miners.map((m, i) => ({ minerId: `0.0.${i + 1}`, endpoint: m.endpoint, models: [{ id: "llama", modality: "llm", pricePerUnit: m.price }] })),
  });
  for (const m of miners) transport.script(m.endpoint, { body: { usage: { total_tokens: 10 } } });
  const principal = { ownerId: WORLD_OWNER, keyId: "key_1", keyHash: "hash_1", spentTinybars: 0n };
  const call = (maxUnits?: number) => ({ principal, operation: "chat.completions" as const, model: "llama", body: new TextEncoder().encode("{}"), contentType: "application/json", requestId: `r${Math.random()}`, source: "sync" as const, ...(maxUnits !== undefined && { maxUnits }) });
  return { deps, transport, call };
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

describe("maxUnitsOf", () => {
  it("bounds a chat by its prompt bytes plus max_tokens, and a vision chat by its images", () => {
    const bound = maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "héllo" }, { role: "user", content: [{ type: "text", text: "ab" }, { type: "image_url", image_url: { url: "data:" } }] }], max_tokens: 16 }) as (m: string) => number;
    expect(bound("llm")).toBe(6 + 2 + 16);
    expect(bound("vision")).toBe(1);
    expect((maxUnitsOf("chat.completions", { messages: [{ role: "user", content: "abc" }] }) as (m: string) => number)("llm")).toBe(3);
  });

  it("uses the exact units where the gateway measures them, and input bytes for embeddings", () => {
    expect(maxUnitsOf("audio.speech", { input: "hello" })).toBe(5);
    expect(maxUnitsOf("vision.analyze", {})).toBe(1);
    expect(maxUnitsOf("embeddings", { input: ["ab", "c"] })).toBe(3);
  });
});
