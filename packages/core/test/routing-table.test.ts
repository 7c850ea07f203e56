import { describe, expect, it } from "vitest";
import { RoutingTable, type MinerHealth, type MinerModel, type MinerRecord } from "../src/index.js";
import { FixedClock, InMemoryMinerDirectory, aMiner } from "../testing/index.js";

const TTL_MS = 5_000;
const COOL_DOWN_MS = 10_000;

const llm = (id: string, price: string, extra: Partial<MinerModel> = {}): MinerModel => ({ id, modality: "llm", pricePerUnit: price, ...extra });
const health = (overrides: Partial<MinerHealth> = {}): MinerHealth => ({ healthy: true, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 50, consecutiveFailures: 0, ...overrides });
const miner = (minerId: string, models: MinerModel[], overrides: Partial<MinerRecord> = {}): MinerRecord =>
  aMiner({ minerId, endpoint: `http://${minerId}.miners.test`, models, ...overrides });

async function setup(...miners: MinerRecord[]) {
  const directory = new InMemoryMinerDirectory();
  for (const m of miners) await directory.put(m);
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const routing = new RoutingTable({ miners: directory, clock }, { ttlMs: TTL_MS });
  const order = async (model = "m") => (await routing.candidates(model)).map((c) => c.minerId);
  return { directory, clock, routing, order };
}

describe("RoutingTable.candidates", () => {
  it("lists the miners offering the model, with their endpoint, model and price", async () => {
    // Prepare
    const { routing } = await setup(miner("0.0.1", [llm("m", "10", { contextLength: 4096 })]), miner("0.0.2", [llm("other", "1")]));
    // Act
    const candidates = await routing.candidates("m");
    // Assess
    expect(candidates).toEqual([{ minerId: "0.0.1", endpoint: "http://0.0.1.miners.test", model: { id: "m", modality: "llm", pricePerUnit: "10", contextLength: 4096 }, pricePerUnit: 10n }]);
  });

  it("is empty for a model nobody serves", async () => {
    const { routing } = await setup(miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [], { models: undefined }));
    expect(await routing.candidates("nope")).toEqual([]);
  });

  it("leaves out miners the probe marked unhealthy, and takes them back once they recover", async () => {
    // Prepare
    const { directory, clock, order } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ healthy: false, consecutiveFailures: 3 }) }), miner("0.0.2", [llm("m", "10")]));
    // Act / Assess
    expect(await order()).toEqual(["0.0.2"]);
    await directory.recordHealth("0.0.1", health());
    clock.advance(TTL_MS);
    expect(await order()).toEqual(["0.0.1", "0.0.2"]);
  });

  it("puts the cheapest first", async () => {
    const { order } = await setup(miner("0.0.1", [llm("m", "30")]), miner("0.0.2", [llm("m", "10")]), miner("0.0.3", [llm("m", "20")]));
    expect(await order()).toEqual(["0.0.2", "0.0.3", "0.0.1"]);
  });

  it("breaks ties by miner id, so the order is stable", async () => {
    const { order } = await setup(miner("0.0.3", [llm("m", "10")]), miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [llm("m", "10")]));
    expect(await order()).toEqual(["0.0.1", "0.0.2", "0.0.3"]);
  });

  it("puts the faster first at the same price", async () => {
    const { order } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ latencyMs: 400 }) }), miner("0.0.2", [llm("m", "10")], { health: health({ latencyMs: 40 }) }));
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
  });

  it("weighs latency at half the price: twice the price beats ten times slower", async () => {
    // 0.0.1: 1 + 0.5 × 10 = 6; 0.0.2: 2 + 0.5 × 1 = 2.5
    const { order } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ latencyMs: 500 }) }), miner("0.0.2", [llm("m", "20")], { health: health({ latencyMs: 50 }) }));
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
  });

  it("but keeps the cheaper one when it is only a little slower", async () => {
    // 0.0.1: 1 + 0.5 × 1.5 = 1.75; 0.0.2: 2 + 0.5 = 2.5
    const { order } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ latencyMs: 75 }) }), miner("0.0.2", [llm("m", "20")], { health: health({ latencyMs: 50 }) }));
    expect(await order()).toEqual(["0.0.1", "0.0.2"]);
  });

  it("spreads concurrent requests: a busy miner goes behind an idle one", async () => {
    // Prepare
    const { routing, order } = await setup(miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [llm("m", "10")]));
    // Act / Assess
    routing.started("0.0.1");
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
    routing.finished("0.0.1", { ok: true, latencyMs: 50 });
    expect(await order()).toEqual(["0.0.1", "0.0.2"]);
  });

  it("makes a miner with probe failures a last resort, even when it is the cheapest", async () => {
    // 0.0.1: 1 + 0.5 + 2 × 1 = 3.5; 0.0.2: 2 + 0.5 = 2.5
    const { order } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ consecutiveFailures: 1 }) }), miner("0.0.2", [llm("m", "20")]));
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
  });

  it("counts this instance's failed dispatches too, until a success", async () => {
    // Prepare
    const { routing, order } = await setup(miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [llm("m", "20")]));
    // Act / Assess
    routing.started("0.0.1");
    routing.finished("0.0.1", { ok: false, latencyMs: 50 });
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
    routing.started("0.0.1");
    routing.finished("0.0.1", { ok: true, latencyMs: 50 });
    expect(await order()).toEqual(["0.0.1", "0.0.2"]);
  });

  it("learns latency from dispatches", async () => {
    // Prepare: same price, the probe saw both at 50 ms
    const { routing, order } = await setup(miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [llm("m", "10")]));
    // Act
    routing.started("0.0.1");
    routing.finished("0.0.1", { ok: true, latencyMs: 2_000 });
    // Assess
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
  });

  it("rests a miner for ten seconds after three failed dispatches in a row", async () => {
    // Prepare
    const { routing, clock, order } = await setup(miner("0.0.1", [llm("m", "10")]), miner("0.0.2", [llm("m", "20")]));
    // Act
    for (let i = 0; i < 3; i++) {
      routing.started("0.0.1");
      routing.finished("0.0.1", { ok: false, latencyMs: 5 });
    }
    // Assess
    expect(await order()).toEqual(["0.0.2"]);
    clock.advance(COOL_DOWN_MS - 1);
    expect(await order()).toEqual(["0.0.2"]);
    clock.advance(1);
    // Back with a clean slate: its failures were forgiven by the rest
    expect(await order()).toEqual(["0.0.1", "0.0.2"]);
  });

  it("does not rest a miner whose failures were not in a row", async () => {
    const { routing, order } = await setup(miner("0.0.1", [llm("m", "10")]));
    for (const ok of [false, false, true, false, false]) {
      routing.started("0.0.1");
      routing.finished("0.0.1", { ok, latencyMs: 5 });
    }
    expect(await order()).toEqual(["0.0.1"]);
  });

  it("reads the directory once per TTL; refresh reads it again at once", async () => {
    // Prepare
    const { directory, clock, order } = await setup(miner("0.0.1", [llm("m", "10")]));
    await order();
    await directory.put(miner("0.0.2", [llm("m", "1")]));
    // Act / Assess
    clock.advance(TTL_MS - 1);
    expect(await order()).toEqual(["0.0.1"]);
    clock.advance(1);
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
    await directory.remove("0.0.2");
    expect(await order()).toEqual(["0.0.2", "0.0.1"]);
  });

  it("sees a change at once after refresh", async () => {
    const { directory, routing, order } = await setup(miner("0.0.1", [llm("m", "10")]));
    await order();
    await directory.remove("0.0.1");
    routing.refresh();
    expect(await order()).toEqual([]);
  });
});

describe("RoutingTable.knows", () => {
  it("knows a model only unhealthy miners offer, but not one nobody offers", async () => {
    const { routing } = await setup(miner("0.0.1", [llm("m", "10")], { health: health({ healthy: false }) }));
    expect(await routing.candidates("m")).toEqual([]);
    expect(await routing.knows("m")).toBe(true);
    expect(await routing.knows("unknown")).toBe(false);
  });
});

describe("RoutingTable.models", () => {
  it("lists each model healthy miners serve once, with how many serve it and the price range, sorted by id", async () => {
    // Prepare
    const { routing } = await setup(
      miner("0.0.1", [llm("llama", "30", { contextLength: 8192 }), { id: "whisper", modality: "stt", pricePerUnit: "100" }]),
      miner("0.0.2", [llm("llama", "10", { contextLength: 8192 })]),
      miner("0.0.3", [llm("llama", "20", { contextLength: 8192 })]),
      miner("0.0.4", [llm("llama", "1"), llm("ghost", "1")], { health: health({ healthy: false }) }),
    );
    // Act
    const models = await routing.models();
    // Assess
    expect(models).toEqual([
      { id: "llama", modality: "llm", miners: 3, minPricePerUnit: 10n, maxPricePerUnit: 30n, contextLength: 8192 },
      { id: "whisper", modality: "stt", miners: 1, minPricePerUnit: 100n, maxPricePerUnit: 100n },
    ]);
  });

  it("gives the longest completion the serving miners declare, or none when one of them does not say", async () => {
    const { routing } = await setup(
      miner("0.0.1", [llm("llama", "10", { maxCompletionTokens: 256 }), llm("qwen", "10", { maxCompletionTokens: 128 })]),
      miner("0.0.2", [llm("llama", "10", { maxCompletionTokens: 1024 }), llm("qwen", "10")]),
    );
    const models = await routing.models();
    expect(models.find((m) => m.id === "llama")?.maxCompletionTokens).toBe(1024);
    expect(models.find((m) => m.id === "qwen")).not.toHaveProperty("maxCompletionTokens");
  });

  it("is empty when no miner is registered", async () => {
    const { routing } = await setup();
    expect(await routing.models()).toEqual([]);
  });
});
