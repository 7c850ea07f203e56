import { describe, expect, it } from "vitest";
import { SpendingGuard, UsageMeter, silentLogger, type AccountRecord, type Principal } from "../src/index.js";
import { FixedClock, InMemoryAccountStore, InMemoryUsageLedger, aUsageRecord } from "../testing/index.js";

const OWNER = "0.0.1001";
const TTL_MS = 2_000;

/** An InMemoryAccountStore that counts reads, so tests can tell a cache hit from a store read. */
class CountingAccountStore extends InMemoryAccountStore {
  reads = 0;

  override async get(accountId: string): Promise<AccountRecord | null> {
    this.reads++;
    return super.get(accountId);
  }
}

async function setup(balance: bigint) {
  const accounts = new CountingAccountStore();
  await accounts.create({ accountId: OWNER, createdAt: "2030-01-01T00:00:00.000Z" });
  let deposits = 0;
  const deposit = (amount: bigint) => accounts.creditDeposit({ accountId: OWNER, transactionId: `tx_${++deposits}`, from: "0.0.5001", amountTinybars: amount, consensusTimestamp: `${deposits}.0` });
  if (balance > 0n) await deposit(balance);
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const usage = new InMemoryUsageLedger({ accounts });
  // Wired as the API wires them: a landed charge lowers the guard's cached balance.
  let guard!: SpendingGuard;
  const meter = new UsageMeter({ usage, logger: silentLogger, onCharged: (record) => guard.noteCharged(record.ownerId, record.cost) }, { retryDelaysMs: [1] });
  guard = new SpendingGuard({ accounts, meter, clock }, { ttlMs: TTL_MS });
  accounts.reads = 0;
  return { accounts, clock, usage, meter, guard, deposit };
}

const aPrincipal = (overrides: Partial<Principal> = {}): Principal => ({ ownerId: OWNER, keyId: "key_1", keyHash: "hash_1", spentTinybars: 0n, ...overrides });
const aCharge = (cost: bigint, overrides: { keyHash?: string } = {}) => aUsageRecord({ ownerId: OWNER, keyId: "key_1", keyHash: overrides.keyHash ?? "hash_1", cost });

describe("SpendingGuard", () => {
  it("lets an account with a balance through", async () => {
    const { guard } = await setup(1n);
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
  });

  it("refuses (402) an account whose balance is zero", async () => {
    const { guard } = await setup(0n);
    await expect(guard.assertCanSpend(aPrincipal())).rejects.toMatchObject({
      name: "DomainError",
      code: "payment_required",
      message: `Your balance is used up (0 tinybars). Deposit HBAR to the treasury with memo '${OWNER}'.`,
    });
  });

  it("refuses (402) a key whose account was never opened", async () => {
    const { guard } = await setup(0n);
    await expect(guard.assertCanSpend(aPrincipal({ ownerId: "0.0.404" }))).rejects.toMatchObject({ code: "payment_required", param: null });
  });

  it("counts charges still being written against the balance", async () => {
    // Prepare
    const { guard, meter } = await setup(1_000n);
    // Act / Assess
    meter.record(aCharge(999n));
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
    meter.record(aCharge(1n));
    await expect(guard.assertCanSpend(aPrincipal())).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("(0 tinybars)") });
    await meter.drain();
  });

  it("still refuses once the pending charges have landed (the cached balance is lowered as they land)", async () => {
    // Prepare
    const { guard, meter, accounts } = await setup(1_000n);
    await guard.assertCanSpend(aPrincipal());
    // Act
    meter.record(aCharge(600n));
    meter.record(aCharge(500n));
    await meter.drain();
    // Assess
    expect(meter.pendingForOwner(OWNER)).toBe(0n);
    expect((await accounts.get(OWNER))?.balanceTinybars).toBe(-100n);
    accounts.reads = 0;
    await expect(guard.assertCanSpend(aPrincipal())).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("(-100 tinybars)") });
    expect(accounts.reads).toBe(0);
  });

  it("reads the balance once per TTL", async () => {
    // Prepare
    const { guard, clock, accounts } = await setup(1_000n);
    // Act
    for (let i = 0; i < 5; i++) await guard.assertCanSpend(aPrincipal());
    const withinTtl = accounts.reads;
    clock.advance(TTL_MS);
    await guard.assertCanSpend(aPrincipal());
    // Assess
    expect(withinTtl).toBe(1);
    expect(accounts.reads).toBe(2);
  });

  it("sees a deposit at once after forget, otherwise after the TTL", async () => {
    // Prepare
    const { guard, clock, deposit } = await setup(0n);
    await expect(guard.assertCanSpend(aPrincipal())).rejects.toMatchObject({ code: "payment_required" });
    await deposit(50n);
    // Act / Assess
    await expect(guard.assertCanSpend(aPrincipal())).rejects.toMatchObject({ code: "payment_required" });
    guard.forget(OWNER);
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
    clock.advance(TTL_MS);
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
  });

  it("does not let landing charges keep a stale balance cached: a deposit made elsewhere is seen within the TTL", async () => {
    // Prepare: the account ran dry, then the deposit cron (another process) credited it
    const { guard, clock, meter, deposit } = await setup(100n);
    await guard.assertCanSpend(aPrincipal());
    meter.record(aCharge(100n));
    await meter.drain();
    await deposit(1_000_000n);
    // Act: charges keep landing every half second, past the TTL
    for (let i = 0; i < 6; i++) {
      clock.advance(500);
      guard.noteCharged(OWNER, 0n);
    }
    // Assess
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
  });

  it("ignores noteCharged for an account it has not cached", async () => {
    const { guard } = await setup(100n);
    guard.noteCharged(OWNER, 1_000n);
    await expect(guard.assertCanSpend(aPrincipal())).resolves.toBeUndefined();
  });

  describe("a key's spending limit", () => {
    it("lets the key spend up to its limit", async () => {
      const { guard } = await setup(1_000_000n);
      await expect(guard.assertCanSpend(aPrincipal({ spendLimitTinybars: 500n, spentTinybars: 499n }))).resolves.toBeUndefined();
    });

    it("refuses (402) a key that has spent its limit, whatever the balance", async () => {
      const { guard } = await setup(1_000_000n);
      await expect(guard.assertCanSpend(aPrincipal({ spendLimitTinybars: 500n, spentTinybars: 500n }))).rejects.toMatchObject({
        code: "payment_required",
        message: "This API key reached its spending limit of 500 tinybars.",
      });
    });

    it("refuses a key with a limit of zero", async () => {
      const { guard } = await setup(1_000_000n);
      await expect(guard.assertCanSpend(aPrincipal({ spendLimitTinybars: 0n }))).rejects.toMatchObject({ code: "payment_required" });
    });

    it("counts the key's charges still being written, and only that key's", async () => {
      // Prepare
      const { guard, meter } = await setup(1_000_000n);
      const principal = aPrincipal({ spendLimitTinybars: 500n, spentTinybars: 300n });
      // Act / Assess
      meter.record(aCharge(199n, { keyHash: "hash_other" }));
      await expect(guard.assertCanSpend(principal)).resolves.toBeUndefined();
      meter.record(aCharge(200n));
      await expect(guard.assertCanSpend(principal)).rejects.toMatchObject({ code: "payment_required", message: expect.stringContaining("spending limit of 500") });
      await meter.drain();
    });

    it("does not apply to a key without a limit", async () => {
      const { guard } = await setup(1n);
      await expect(guard.assertCanSpend(aPrincipal({ spentTinybars: 10n ** 18n }))).resolves.toBeUndefined();
    });
  });
});
