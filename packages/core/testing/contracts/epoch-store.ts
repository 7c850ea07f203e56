import { describe, expect, it } from "vitest";
import { epochBounds, type ClosedEpoch, type EpochStore, type EpochTally } from "../../src/index.js";
import { uniqueAccountId, uniqueEpoch } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

const closed = (epoch: number): ClosedEpoch => ({ epoch, ...epochBounds(epoch, 3600), closedAt: "2030-01-01T00:00:00.000Z" });

const aTally = (epoch: number): EpochTally => ({
  epoch,
  miners: [{ minerId: uniqueAccountId(), submissions: 3, meanQuality: 0.8333333333333334, availability: 2 / 3, meanLatencyMs: 101.5 }],
  talliedAt: "2030-01-01T01:00:00.000Z",
});

/**
 * What every EpochStore must do. The last-closed pointer is one per store (one item per table),
 * so `makeStore` must return a store on which no epoch was closed yet: for DynamoDB, a fresh
 * table per call. Tally tests use random epochs and would also run on a shared table.
 */
export function epochStoreContract(makeStore: Make<EpochStore>): void {
  describe("EpochStore contract", () => {
    describe("close and lastClosed", () => {
      it("reports no closed epoch before the first close", async () => {
        const store = await makeStore();
        expect(await store.lastClosed()).toBeNull();
      });

      it("closes the first epoch from no pointer, then each next one from the last", async () => {
        // Prepare
        const store = await makeStore();
        const e = uniqueEpoch();
        // Act
        const first = await store.close(closed(e), null);
        const second = await store.close(closed(e + 1), e);
        // Assess
        expect([first, second]).toEqual([true, true]);
        expect(await store.lastClosed()).toBe(e + 1);
      });

      it("refuses a close from a stale pointer, recording nothing (another run won)", async () => {
        // Prepare
        const store = await makeStore();
        const e = uniqueEpoch();
        await store.close(closed(e), null);
        await store.close(closed(e + 1), e);
        // Act
        const stale = await store.close(closed(e + 2), e);
        // Assess
        expect(stale).toBe(false);
        expect(await store.lastClosed()).toBe(e + 1);
        // The refused epoch was not half-written: closing it from the right pointer works.
        expect(await store.close(closed(e + 2), e + 1)).toBe(true);
      });

      it("refuses a first close once a pointer exists", async () => {
        const store = await makeStore();
        const e = uniqueEpoch();
        await store.close(closed(e), null);
        expect(await store.close(closed(e + 1), null)).toBe(false);
        expect(await store.lastClosed()).toBe(e);
      });

      it("refuses a close from a pointer that does not exist yet", async () => {
        const store = await makeStore();
        const e = uniqueEpoch();
        expect(await store.close(closed(e + 1), e)).toBe(false);
        expect(await store.lastClosed()).toBeNull();
      });

      it("refuses to close the same epoch twice", async () => {
        const store = await makeStore();
        const e = uniqueEpoch();
        await store.close(closed(e), null);
        expect(await store.close(closed(e), e)).toBe(false);
        expect(await store.lastClosed()).toBe(e);
      });
    });

    describe("tallies", () => {
      it("stores a tally once and keeps the first", async () => {
        // Prepare
        const store = await makeStore();
        const epoch = uniqueEpoch();
        const first = aTally(epoch);
        // Act
        const saved = await store.saveTally(first);
        const again = await store.saveTally({ ...aTally(epoch), talliedAt: "2030-01-01T02:00:00.000Z" });
        // Assess
        expect([saved, again]).toEqual([true, false]);
        expect(await store.getTally(epoch)).toEqual(first);
      });

      it("stores an empty tally", async () => {
        const store = await makeStore();
        const tally = { ...aTally(uniqueEpoch()), miners: [] };
        expect(await store.saveTally(tally)).toBe(true);
        expect(await store.getTally(tally.epoch)).toEqual(tally);
      });

      it("returns null for an epoch without a tally", async () => {
        const store = await makeStore();
        expect(await store.getTally(uniqueEpoch())).toBeNull();
      });

      it("keeps tallies apart from closed epochs", async () => {
        const store = await makeStore();
        const e = uniqueEpoch();
        await store.close(closed(e), null);
        expect(await store.getTally(e)).toBeNull();
        expect(await store.saveTally(aTally(e))).toBe(true);
        expect(await store.lastClosed()).toBe(e);
      });
    });
  });
}
