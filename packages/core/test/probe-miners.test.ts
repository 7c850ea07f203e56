import { describe, expect, it } from "vitest";
import { UNHEALTHY_AFTER_FAILURES, availabilityOf, probeMiners, silentLogger, silentMetrics, type ProbeResult } from "../src/index.js";
import { FixedClock, InMemoryMinerDirectory, ScriptedMinerProbe, aMiner } from "../testing/index.js";

const up: ProbeResult = { ok: true, latencyMs: 40 };
const down: ProbeResult = { ok: false, latencyMs: 3000, error: "timeout after 3000 ms" };

async function setup(...results: ProbeResult[]) {
  const miners = new InMemoryMinerDirectory();
  const miner = aMiner({ endpoint: "https://miner.example" });
  await miners.put(miner);
  const probe = new ScriptedMinerProbe().script(miner.endpoint, ...results);
  const deps = { miners, probe, clock: new FixedClock("2030-01-01T00:00:00.000Z"), logger: silentLogger, metrics: silentMetrics, timeoutMs: 3000 };
  const health = async () => (await miners.list())[0]?.health;
  return { deps, probe, health, run: () => probeMiners(deps) };
}

describe("probeMiners", () => {
  it("records a healthy probe with its latency, passing the timeout on", async () => {
    const { probe, health, run } = await setup(up);
    expect(await run()).toEqual({ probed: 1, healthy: 1 });
    expect(await health()).toEqual({ healthy: true, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 40, consecutiveFailures: 0, probes: 1, successes: 1 });
    expect(probe.checks).toEqual([{ endpoint: "https://miner.example", timeoutMs: 3000 }]);
  });

  it("forgives one failed probe: still healthy, failure counted, error kept", async () => {
    const { health, run } = await setup(down);
    expect(await run()).toEqual({ probed: 1, healthy: 1 });
    expect(await health()).toEqual({ healthy: true, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 3000, consecutiveFailures: 1, lastError: "timeout after 3000 ms", probes: 1, successes: 0 });
  });

  it(`marks a miner unhealthy after ${UNHEALTHY_AFTER_FAILURES} failures in a row`, async () => {
    const { health, run } = await setup(down);
    for (let i = 1; i < UNHEALTHY_AFTER_FAILURES; i++) await run();
    expect(await run()).toEqual({ probed: 1, healthy: 0 });
    expect(await health()).toMatchObject({ healthy: false, consecutiveFailures: UNHEALTHY_AFTER_FAILURES });
  });

  it("resets the failure count when the miner answers again", async () => {
    const { health, run } = await setup(down, down, down, up);
    for (let i = 0; i < 3; i++) await run();
    expect(await run()).toEqual({ probed: 1, healthy: 1 });
    // Availability remembers the misses: 1 of 4 probes answered.
    expect(await health()).toEqual({ healthy: true, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 40, consecutiveFailures: 0, probes: 4, successes: 1 });
    expect(availabilityOf(await health())).toBe(0.25);
  });

  it("probes every registered miner, counting the healthy ones", async () => {
    // Prepare
    const { deps, run } = await setup(down, down);
    const extra = Array.from({ length: 11 }, (_, i) => aMiner({ endpoint: `https://m${i}.example` }));
    for (const m of extra) await deps.miners.put(m);
    // Act
    await run();
    const second = await run();
    // Assess
    expect(second).toEqual({ probed: 12, healthy: 11 });
    expect((await deps.miners.list()).every((m) => m.health?.lastProbeAt === "2030-01-01T00:00:00.000Z")).toBe(true);
  });

  it("does nothing when no miner is registered", async () => {
    const miners = new InMemoryMinerDirectory();
    const deps = { miners, probe: new ScriptedMinerProbe(), clock: new FixedClock(), logger: silentLogger, metrics: silentMetrics, timeoutMs: 3000 };
    expect(await probeMiners(deps)).toEqual({ probed: 0, healthy: 0 });
  });
});
