import { describe, expect, it } from "vitest";
import { MAX_EPOCHS_PER_RUN, closeEndedEpochs, epochBounds, silentLogger, silentMetrics, type EpochStore } from "../src/index.js";
import { FixedClock, InMemoryEpochStore, RecordingSettlementQueue } from "../testing/index.js";

const HOUR = 3600;
/** The clock stands 10 s into epoch `CURRENT`. */
const CURRENT = 500_000;

function setup(epochs: EpochStore = new InMemoryEpochStore()) {
  const settlement = new RecordingSettlementQueue();
  const clock = new FixedClock(new Date((CURRENT * HOUR + 10) * 1000));
  const deps = { epochs, settlement, clock, logger: silentLogger, metrics: silentMetrics, epochSeconds: HOUR };
  return { deps, settlement };
}

/** An in-memory store whose pointer already stands at `epoch`. */
async function closedUpTo(epoch: number) {
  const store = new InMemoryEpochStore();
  await store.close({ epoch, ...epochBounds(epoch, HOUR), closedAt: "2000-01-01T00:00:00.000Z" }, null);
  return store;
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe("closeEndedEpochs", () => {
  it("closes only the epoch that just ended on the very first run", async () => {
    // Prepare
    const store = new InMemoryEpochStore();
    const { deps, settlement } = setup(store);
    // Act
    const closed = await closeEndedEpochs(deps);
    // Assess
    expect(closed).toEqual([CURRENT - 1]);
    expect(settlement.sent).toEqual([{ epoch: CURRENT - 1 }]);
    expect(await store.lastClosed()).toBe(CURRENT - 1);
    expect(store.closedEpoch(CURRENT - 1)).toEqual({ epoch: CURRENT - 1, ...epochBounds(CURRENT - 1, HOUR), closedAt: deps.clock.now().toISOString() });
  });

  it("closes nothing when run again within the same epoch", async () => {
    const { deps, settlement } = setup(await closedUpTo(CURRENT - 1));
    expect(await closeEndedEpochs(deps)).toEqual([]);
    expect(settlement.sent).toEqual([]);
  });

  it("catches up on every epoch missed since the last close, oldest first", async () => {
    const store = await closedUpTo(CURRENT - 4);
    const { deps, settlement } = setup(store);
    expect(await closeEndedEpochs(deps)).toEqual([CURRENT - 3, CURRENT - 2, CURRENT - 1]);
    expect(settlement.sent).toEqual([{ epoch: CURRENT - 3 }, { epoch: CURRENT - 2 }, { epoch: CURRENT - 1 }]);
    expect(await store.lastClosed()).toBe(CURRENT - 1);
  });

  it(`closes at most ${MAX_EPOCHS_PER_RUN} epochs per run; the next run continues`, async () => {
    // Prepare
    const store = await closedUpTo(CURRENT - 100);
    const { deps } = setup(store);
    // Act
    const first = await closeEndedEpochs(deps);
    const second = await closeEndedEpochs(deps);
    // Assess
    expect(first).toEqual(range(CURRENT - 99, MAX_EPOCHS_PER_RUN));
    expect(second).toEqual(range(CURRENT - 99 + MAX_EPOCHS_PER_RUN, MAX_EPOCHS_PER_RUN));
  });

  it("sends an epoch's settlement before recording its close", async () => {
    // Prepare: recording the close fails after the message went out.
    const store = await closedUpTo(CURRENT - 2);
    const failing: EpochStore = { ...bind(store), close: async () => Promise.reject(new Error("DynamoDB throttled")) };
    const { deps, settlement } = setup(failing);
    // Act
    const run = closeEndedEpochs(deps);
    // Assess
    await expect(run).rejects.toThrow("DynamoDB throttled");
    expect(settlement.sent).toEqual([{ epoch: CURRENT - 1 }]);
  });

  it("records no close when the settlement message cannot be sent", async () => {
    const store = await closedUpTo(CURRENT - 2);
    const { deps, settlement } = setup(store);
    settlement.rejectWith(new Error("SQS is down"));
    await expect(closeEndedEpochs(deps)).rejects.toThrow("SQS is down");
    expect(await store.lastClosed()).toBe(CURRENT - 2);
  });

  it("stops when another run closed the epoch first", async () => {
    // Prepare: a concurrent run closes each epoch just before this one tries.
    const store = await closedUpTo(CURRENT - 4);
    const racing: EpochStore = {
      ...bind(store),
      close: async (epoch, previous) => {
        await store.close({ ...epoch, closedAt: "other run" }, previous);
        return store.close(epoch, previous);
      },
    };
    const { deps, settlement } = setup(racing);
    // Act
    const closed = await closeEndedEpochs(deps);
    // Assess
    expect(closed).toEqual([]);
    expect(settlement.sent).toEqual([{ epoch: CURRENT - 3 }]);
    expect(await store.lastClosed()).toBe(CURRENT - 3);
  });
});

/** The store's port methods, bound, so a test can override one of them. */
function bind(store: InMemoryEpochStore): EpochStore {
  return {
    lastClosed: () => store.lastClosed(),
    close: (epoch, previous) => store.close(epoch, previous),
    saveTally: (tally) => store.saveTally(tally),
    getTally: (epoch) => store.getTally(epoch),
  };
}
