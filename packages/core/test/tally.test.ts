import { describe, expect, it } from "vitest";
import { PoisonMessageError, settleEpoch, silentLogger, tallyScores } from "../src/index.js";
import { FixedClock, InMemoryEpochStore, InMemoryScoreStore, aScore } from "../testing/index.js";

const EPOCH = 480_000;
const AT = "2030-01-01T00:00:00.000Z";

describe("tallyScores", () => {
  it("aggregates quality, availability and latency per miner, sorted by miner id", () => {
    // Prepare
    const submissions = [
      aScore({ epoch: EPOCH, validatorId: "0.0.1", minerId: "0.0.20", quality: 1, available: true, latencyMs: 100 }),
      aScore({ epoch: EPOCH, validatorId: "0.0.1", minerId: "0.0.10", quality: 0.5, available: true, latencyMs: 50 }),
      aScore({ epoch: EPOCH, validatorId: "0.0.2", minerId: "0.0.20", quality: 0.5, available: false, latencyMs: 300 }),
      aScore({ epoch: EPOCH, validatorId: "0.0.3", minerId: "0.0.20", quality: 0, available: true, latencyMs: 200 }),
    ];
    // Act
    const tally = tallyScores(EPOCH, submissions, AT);
    // Assess
    expect(tally).toEqual({
      epoch: EPOCH,
      talliedAt: AT,
      miners: [
        { minerId: "0.0.10", submissions: 1, meanQuality: 0.5, availability: 1, meanLatencyMs: 50 },
        { minerId: "0.0.20", submissions: 3, meanQuality: 0.5, availability: 2 / 3, meanLatencyMs: 200 },
      ],
    });
  });

  it("tallies an epoch without submissions as no miners", () => {
    expect(tallyScores(EPOCH, [], AT)).toEqual({ epoch: EPOCH, miners: [], talliedAt: AT });
  });
});

describe("settleEpoch", () => {
  async function setup() {
    const epochs = new InMemoryEpochStore();
    const scores = new InMemoryScoreStore();
    await scores.save(aScore({ epoch: EPOCH, minerId: "0.0.10", quality: 0.75 }));
    await scores.save(aScore({ epoch: EPOCH + 1, minerId: "0.0.10", quality: 0 }));
    const deps = { epochs, scores, clock: new FixedClock(AT), logger: silentLogger };
    return { deps, epochs, scores };
  }

  it("freezes the epoch's scores into a stored tally", async () => {
    const { deps, epochs } = await setup();
    const tally = await settleEpoch(deps, JSON.stringify({ epoch: EPOCH }));
    expect(tally).toEqual({ epoch: EPOCH, talliedAt: AT, miners: [{ minerId: "0.0.10", submissions: 1, meanQuality: 0.75, availability: 1, meanLatencyMs: 120 }] });
    expect(await epochs.getTally(EPOCH)).toEqual(tally);
  });

  it("does nothing on redelivery, even if late scores arrived", async () => {
    // Prepare
    const { deps, epochs, scores } = await setup();
    const first = await settleEpoch(deps, JSON.stringify({ epoch: EPOCH }));
    await scores.save(aScore({ epoch: EPOCH, quality: 0 }));
    deps.clock.advance(60_000);
    // Act
    const again = await settleEpoch(deps, JSON.stringify({ epoch: EPOCH }));
    // Assess
    expect(again).toBeNull();
    expect(await epochs.getTally(EPOCH)).toEqual(first);
  });

  it.each([
    ["not JSON", "epoch 7"],
    ["a negative epoch", JSON.stringify({ epoch: -1 })],
    ["a fractional epoch", JSON.stringify({ epoch: 1.5 })],
    ["an epoch as a string", JSON.stringify({ epoch: "7" })],
    ["extra fields", JSON.stringify({ epoch: 7, force: true })],
  ])("treats a body with %s as poison and stores nothing", async (_, body) => {
    const { deps, epochs } = await setup();
    await expect(settleEpoch(deps, body)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(await epochs.getTally(7)).toBeNull();
  });
});
