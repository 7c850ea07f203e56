import type { ScoreStore, ScoreSubmission } from "../../src/index.js";

/** ScoreStore in memory: one submission per (epoch, validator, miner), the latest wins. */
export class InMemoryScoreStore implements ScoreStore {
  readonly #scores = new Map<string, ScoreSubmission>();

  async save(submission: ScoreSubmission): Promise<void> {
    this.#scores.set(JSON.stringify([submission.epoch, submission.validatorId, submission.minerId]), { ...submission });
  }

  /** In (validator, miner) order, like the table's sort key. */
  async listForEpoch(epoch: number): Promise<ScoreSubmission[]> {
    const order = (s: ScoreSubmission) => `${s.validatorId}#${s.minerId}`;
    return [...this.#scores.values()]
      .filter((s) => s.epoch === epoch)
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .map((s) => ({ ...s }));
  }
}
