import { describe, expect, it } from "vitest";
import type { ScoreStore, ScoreSubmission } from "../../src/index.js";
import { aScore, uniqueAccountId, uniqueEpoch } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

const byKey = (a: ScoreSubmission, b: ScoreSubmission) => `${a.validatorId}#${a.minerId}`.localeCompare(`${b.validatorId}#${b.minerId}`);

/** What every ScoreStore must do. Epochs are random per test, so stores may share one table. */
export function scoreStoreContract(makeStore: Make<ScoreStore>): void {
  describe("ScoreStore contract", () => {
    it("lists every submission of an epoch and none of another", async () => {
      // Prepare
      const store = await makeStore();
      const epoch = uniqueEpoch();
      const validator = uniqueAccountId();
      const mine = [
        aScore({ epoch, validatorId: validator, quality: 0.25, available: false, latencyMs: 0 }),
        aScore({ epoch, validatorId: validator, quality: 1 }),
        aScore({ epoch, quality: 0.125, latencyMs: 599_999.5 }),
      ];
      const other = aScore({ epoch: epoch + 1, validatorId: validator, minerId: mine[0]!.minerId });
      // Act
      for (const s of [...mine, other]) await store.save(s);
      // Assess
      expect((await store.listForEpoch(epoch)).sort(byKey)).toEqual([...mine].sort(byKey));
      expect(await store.listForEpoch(epoch + 1)).toEqual([other]);
    });

    it("keeps one submission per (epoch, validator, miner): the latest", async () => {
      // Prepare
      const store = await makeStore();
      const first = aScore({ quality: 0.1 });
      const latest = { ...first, quality: 0.9, submittedAt: "2030-01-01T00:30:00.000Z" };
      // Act
      await store.save(first);
      await store.save(latest);
      // Assess
      expect(await store.listForEpoch(first.epoch)).toEqual([latest]);
    });

    it("lists nothing for an epoch without submissions", async () => {
      const store = await makeStore();
      expect(await store.listForEpoch(uniqueEpoch())).toEqual([]);
    });
  });
}
