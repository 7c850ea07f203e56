import { describe, expect, it } from "vitest";
import { PoisonMessageError, recordScores, silentLogger, type ScoreMessage } from "../src/index.js";
import { InMemoryScoreStore } from "../testing/index.js";

const message = (overrides: Partial<ScoreMessage> = {}): ScoreMessage => ({
  epoch: 480_000,
  validatorId: "0.0.7",
  submittedAt: "2030-01-01T00:30:00.000Z",
  scores: [
    { minerId: "0.0.10", quality: 0.9, latencyMs: 120, available: true },
    { minerId: "0.0.11", quality: 0, latencyMs: 0, available: false },
  ],
  ...overrides,
});

describe("recordScores", () => {
  it("saves one submission per miner, stamped with the message's epoch, validator and time", async () => {
    // Prepare
    const scores = new InMemoryScoreStore();
    // Act
    const count = await recordScores({ scores, logger: silentLogger }, JSON.stringify(message()));
    // Assess
    expect(count).toBe(2);
    const common = { epoch: 480_000, validatorId: "0.0.7", submittedAt: "2030-01-01T00:30:00.000Z" };
    expect(await scores.listForEpoch(480_000)).toEqual([
      { ...common, minerId: "0.0.10", quality: 0.9, latencyMs: 120, available: true },
      { ...common, minerId: "0.0.11", quality: 0, latencyMs: 0, available: false },
    ]);
  });

  it("counts a redelivered message once", async () => {
    const scores = new InMemoryScoreStore();
    const body = JSON.stringify(message());
    await recordScores({ scores, logger: silentLogger }, body);
    await recordScores({ scores, logger: silentLogger }, body);
    expect(await scores.listForEpoch(480_000)).toHaveLength(2);
  });

  const score = { minerId: "0.0.10", quality: 0.5, latencyMs: 1, available: true };
  it.each([
    ["not JSON", "scores"],
    ["a validator that is not an account id", JSON.stringify(message({ validatorId: "validator-7" }))],
    ["a miner that is not an account id", JSON.stringify(message({ scores: [{ ...score, minerId: "miner" }] }))],
    ["a quality above 1", JSON.stringify(message({ scores: [{ ...score, quality: 1.01 }] }))],
    ["a negative quality", JSON.stringify(message({ scores: [{ ...score, quality: -0.1 }] }))],
    ["a latency above ten minutes", JSON.stringify(message({ scores: [{ ...score, latencyMs: 600_001 }] }))],
    ["no scores", JSON.stringify(message({ scores: [] }))],
    ["more than 256 scores", JSON.stringify(message({ scores: Array.from({ length: 257 }, () => score) }))],
    ["a time that is not ISO 8601", JSON.stringify(message({ submittedAt: "yesterday" }))],
    ["a negative epoch", JSON.stringify(message({ epoch: -1 }))],
    ["an unknown field", JSON.stringify({ ...message(), signature: "x" })],
  ])("treats a message with %s as poison and saves nothing", async (_, body) => {
    const scores = new InMemoryScoreStore();
    await expect(recordScores({ scores, logger: silentLogger }, body)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(await scores.listForEpoch(480_000)).toEqual([]);
  });
});
