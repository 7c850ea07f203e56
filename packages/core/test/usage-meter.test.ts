import { describe, expect, it } from "vitest";
import { UsageMeter, costOf, type UsageRecord } from "../src/index.js";
import { InMemoryAccountStore, InMemoryApiKeyStore, InMemoryUsageLedger, aUsageRecord, anApiKeyRecord } from "../testing/index.js";
import { RecordingLogger } from "./support/recording-logger.js";

const OWNER = "0.0.1001";
const KEY_HASH = "hash_of_key_1";

async function setup(options: { retryDelaysMs?: number[]; balance?: bigint } = {}) {
  const accounts = new InMemoryAccountStore();
  await accounts.create({ accountId: OWNER, createdAt: "2030-01-01T00:00:00.000Z" });
  if (options.balance) await accounts.creditDeposit({ accountId: OWNER, transactionId: "tx_1", from: "0.0.5001", amountTinybars: options.balance, consensusTimestamp: "1.0" });
  const apiKeys = new InMemoryApiKeyStore();
  await apiKeys.save(anApiKeyRecord({ ownerId: OWNER, keyId: "key_1", keyHash: KEY_HASH }));
  const usage = new InMemoryUsageLedger({ accounts, apiKeys });
  const logger = new RecordingLogger();
  const charged: UsageRecord[] = [];
  const meter = new UsageMeter({ usage, logger, onCharged: (record) => charged.push(record) }, { retryDelaysMs: options.retryDelaysMs ?? [1, 1, 1] });
  const balance = async () => (await accounts.get(OWNER))?.balanceTinybars;
  const spent = async () => (await apiKeys.findByHash(KEY_HASH))?.spentTinybars;
  return { accounts, apiKeys, usage, logger, charged, meter, balance, spent };
}

const aRecord = (overrides: Partial<UsageRecord> = {}) => aUsageRecord({ ownerId: OWNER, keyId: "key_1", keyHash: KEY_HASH, units: 42, pricePerUnit: 10n, cost: 420n, ...overrides });

describe("UsageMeter.record", () => {
  it("returns at once and charges in the background", async () => {
    // Prepare
    const { meter, usage, charged, balance, spent } = await setup({ balance: 1_000n });
    const record = aRecord();
    // Act
    meter.record(record);
    const inFlightRightAway = meter.inFlight;
    await meter.drain();
    // Assess
    expect(inFlightRightAway).toBe(1);
    expect(meter.inFlight).toBe(0);
    expect(await balance()).toBe(580n);
    expect(await spent()).toBe("420");
    expect(charged).toEqual([record]);
    expect(await usage.listByOwner(OWNER, { limit: 10 })).toEqual([record]);
  });

  it("counts the cost as pending for the account and the key until the charge lands", async () => {
    // Prepare
    const { meter } = await setup({ balance: 1_000n });
    // Act
    meter.record(aRecord({ cost: 420n }));
    meter.record(aRecord({ cost: 80n }));
    meter.record(aRecord({ ownerId: "0.0.2002", keyHash: "other_key", cost: 7n }));
    // Assess
    expect(meter.pendingForOwner(OWNER)).toBe(500n);
    expect(meter.pendingForKey(KEY_HASH)).toBe(500n);
    expect(meter.pendingForOwner("0.0.2002")).toBe(7n);
    expect(meter.pendingForKey("other_key")).toBe(7n);
    expect(meter.pendingForOwner("0.0.3003")).toBe(0n);
    await meter.drain();
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
    expect(meter.pendingForKey(KEY_HASH)).toBe(0n);
  });

  it("retries a failed charge until it lands, exactly once", async () => {
    // Prepare
    const { meter, usage, logger, charged, balance } = await setup({ balance: 1_000n, retryDelaysMs: [1, 1, 1] });
    usage.failNext = 2;
    const record = aRecord();
    // Act
    meter.record(record);
    await meter.drain();
    // Assess
    expect(await balance()).toBe(580n);
    expect(charged).toEqual([record]);
    expect(logger.at("warn").map((entry) => entry.attributes)).toEqual([
      { usageId: record.id, attempt: 0, error: "Error: usage store unavailable" },
      { usageId: record.id, attempt: 1, error: "Error: usage store unavailable" },
    ]);
    expect(logger.at("error")).toEqual([]);
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
  });

  it("keeps the cost pending while it retries", async () => {
    // Prepare
    const { meter, usage } = await setup({ retryDelaysMs: [20] });
    usage.failNext = 1;
    // Act
    meter.record(aRecord({ cost: 420n }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Assess
    expect(meter.pendingForOwner(OWNER)).toBe(420n);
    expect(meter.inFlight).toBe(1);
    await meter.drain();
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
  });

  it("gives up after the last retry, logs the whole record for replay and releases the pending cost", async () => {
    // Prepare
    const { meter, usage, logger, charged, balance } = await setup({ balance: 1_000n, retryDelaysMs: [1, 1] });
    usage.failNext = 10;
    const record = aRecord({ pricePerUnit: 10n, cost: 420n });
    // Act
    meter.record(record);
    await meter.drain();
    // Assess
    expect(usage.failNext).toBe(7); // three attempts: the first and two retries
    expect(await balance()).toBe(1_000n);
    expect(charged).toEqual([]);
    expect(logger.at("warn")).toHaveLength(2);
    expect(logger.at("error")).toEqual([
      { level: "error", message: "usage charge could not be written; replay this record", attributes: { usage: { ...record, pricePerUnit: "10", cost: "420" }, error: "Error: usage store unavailable" } },
    ]);
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
    expect(meter.pendingForKey(KEY_HASH)).toBe(0n);
    expect(meter.inFlight).toBe(0);
  });

  it("charges a record recorded twice once (a retried request keeps its id)", async () => {
    // Prepare
    const { meter, charged, balance, spent } = await setup({ balance: 1_000n });
    const record = aRecord();
    // Act
    meter.record(record);
    meter.record({ ...record });
    await meter.drain();
    // Assess
    expect(await balance()).toBe(580n);
    expect(await spent()).toBe("420");
    expect(charged).toHaveLength(1);
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
  });

  it("lets the balance go below zero: work already done is owed", async () => {
    const { meter, balance } = await setup({ balance: 100n });
    meter.record(aRecord({ cost: 420n }));
    await meter.drain();
    expect(await balance()).toBe(-320n);
  });
});

describe("UsageMeter.drain", () => {
  it("resolves at once when nothing is in flight", async () => {
    const { meter } = await setup();
    await expect(meter.drain()).resolves.toBeUndefined();
  });

  it("also waits for charges recorded while it drains", async () => {
    // Prepare: every landed charge records a follow-up, once
    const { usage, balance } = await setup({ balance: 1_000n });
    const followUp = aRecord({ cost: 1n });
    const meter: UsageMeter = new UsageMeter({ usage, logger: new RecordingLogger(), onCharged: (record) => record.id !== followUp.id && meter.record(followUp) }, { retryDelaysMs: [1] });
    meter.record(aRecord({ cost: 10n }));
    // Act
    await meter.drain();
    // Assess
    expect(meter.inFlight).toBe(0);
    expect(await balance()).toBe(989n);
  });

  it("waits for tracked work that records a charge when it is done (a charge still being counted)", async () => {
    // Prepare
    const { meter, balance } = await setup({ balance: 1_000n });
    let finishCounting = () => {};
    const counted = new Promise<void>((resolve) => (finishCounting = resolve)).then(() => meter.record(aRecord({ cost: 30n })));
    meter.track(counted);
    // Act
    const drained = meter.drain();
    finishCounting();
    await drained;
    // Assess
    expect(await balance()).toBe(970n);
  });

  it("logs tracked work that fails instead of letting it reject unhandled", async () => {
    const { meter, logger } = await setup();
    meter.track(Promise.reject(new Error("tokenizer gone")));
    await meter.drain();
    expect(logger.at("error")).toEqual([expect.objectContaining({ message: "work that was to record a usage charge failed", attributes: { error: "Error: tokenizer gone" } })]);
  });
});

describe("UsageMeter.charge", () => {
  it("charges and waits for it; a second charge of the same id is a duplicate", async () => {
    // Prepare
    const { meter, charged, balance } = await setup({ balance: 1_000n });
    const record = aRecord({ source: "job" });
    // Act
    const first = await meter.charge(record);
    const second = await meter.charge(record);
    // Assess
    expect([first, second]).toEqual(["charged", "duplicate"]);
    expect(charged).toEqual([record]);
    expect(await balance()).toBe(580n);
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
  });

  it("lets a failure through to the caller (the job is retried by its queue)", async () => {
    const { meter, usage, balance } = await setup({ balance: 1_000n });
    usage.failNext = 1;
    await expect(meter.charge(aRecord())).rejects.toThrow("usage store unavailable");
    expect(await balance()).toBe(1_000n);
  });
});

describe("costOf", () => {
  it.each([
    [0, 10n, 0n],
    [42, 10n, 420n],
    [1, 0n, 0n],
    [Number.MAX_SAFE_INTEGER, 1_000_000n, 9_007_199_254_740_991_000_000n],
  ])("%i units at %s → %s tinybars", (units, price, cost) => {
    expect(costOf(units, price)).toBe(cost);
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.MAX_SAFE_INTEGER + 1]])("refuses %s units", (units) => {
    expect(() => costOf(units, 10n)).toThrow(RangeError);
  });
});
