import { describe, expect, it } from "vitest";
import { creditDeposits, type CreditedDeposit, type Deposit, type DepositPage } from "../src/index.js";
import { InMemoryAccountStore } from "../testing/index.js";
import { RecordingLogger } from "./support/recording-logger.js";

const TREASURY = "0.0.98";
const ALICE = "0.0.1001";
const BOB = "0.0.1002";

/** Consensus timestamps that sort as strings: `ts(3)` is "1893456000.000000003". */
const ts = (n: number) => `1893456000.${String(n).padStart(9, "0")}`;

type Transaction = { at: string; deposit?: Omit<Deposit, "consensusTimestamp"> };

/**
 * The treasury's transaction history as the mirror node pages it: the next `limit` transactions
 * after the cursor, the deposits among them, where the page ended, and whether it was full.
 */
class FakeTreasuryHistory {
  readonly requests: Array<{ accountId: string; after: string | undefined; limit: number | undefined }> = [];
  readonly #transactions: Transaction[] = [];

  deposit(n: number, from: string, memo: string, amount: bigint): this {
    this.#transactions.push({ at: ts(n), deposit: { transactionId: `${from}@${n}`, from, memo, amount } });
    return this;
  }

  /** A transaction of the treasury that is not a deposit (a payout to miners). */
  payout(n: number): this {
    this.#transactions.push({ at: ts(n) });
    return this;
  }

  async depositsTo(accountId: string, afterTimestamp?: string, limit?: number): Promise<DepositPage> {
    this.requests.push({ accountId, after: afterTimestamp, limit });
    const after = this.#transactions.filter((t) => afterTimestamp === undefined || t.at > afterTimestamp).sort((a, b) => a.at.localeCompare(b.at));
    const page = after.slice(0, limit ?? 100);
    const last = page.at(-1);
    return {
      deposits: page.flatMap((t) => (t.deposit ? [{ ...t.deposit, consensusTimestamp: t.at }] : [])),
      ...(last && { scannedUntil: last.at }),
      more: page.length === (limit ?? 100),
    };
  }
}

/** An account store whose `creditDeposit` can be made to fail, as a store outage would. */
class FlakyAccountStore extends InMemoryAccountStore {
  failCreditOf: string | undefined;
  /** Set to make the next scan start from the beginning, as if the cursor had never been saved. */
  forgetCursor = false;

  override async depositCursor(): Promise<string | undefined> {
    return this.forgetCursor ? undefined : super.depositCursor();
  }

  override async creditDeposit(deposit: CreditedDeposit): Promise<boolean> {
    if (deposit.transactionId === this.failCreditOf) throw new Error("store unavailable");
    return super.creditDeposit(deposit);
  }
}

async function setup() {
  const accounts = new FlakyAccountStore();
  await accounts.create({ accountId: ALICE, createdAt: "2030-01-01T00:00:00.000Z" });
  await accounts.create({ accountId: BOB, createdAt: "2030-01-01T00:00:00.000Z" });
  const ledger = new FakeTreasuryHistory();
  const logger = new RecordingLogger();
  const deps = { accounts, ledger, treasuryAccountId: TREASURY, logger };
  const balanceOf = async (id: string) => (await accounts.get(id))?.balanceTinybars;
  return { deps, accounts, ledger, logger, balanceOf };
}

describe("creditDeposits", () => {
  it("credits each deposit to the account its memo names and moves the cursor past it", async () => {
    // Prepare
    const { deps, accounts, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", ALICE, 100_000_000n).deposit(2, "0.0.5002", BOB, 7n).deposit(3, "0.0.5001", ALICE, 5n);
    // Act
    const outcome = await creditDeposits(deps);
    // Assess
    expect(outcome).toEqual({ credited: 3, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(100_000_005n);
    expect(await balanceOf(BOB)).toBe(7n);
    expect(await accounts.depositCursor()).toBe(ts(3));
    expect(ledger.requests[0]).toEqual({ accountId: TREASURY, after: undefined, limit: 100 });
  });

  it("starts after the saved cursor, so a second run credits nothing twice", async () => {
    // Prepare
    const { deps, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", ALICE, 100n);
    await creditDeposits(deps);
    // Act
    const again = await creditDeposits(deps);
    // Assess
    expect(again).toEqual({ credited: 0, skipped: 0 });
    expect(ledger.requests[1]?.after).toBe(ts(1));
    expect(await balanceOf(ALICE)).toBe(100n);
  });

  it("does not credit a transaction twice even when rescanned from the start", async () => {
    // Prepare: the cursor was lost (or a crash happened before it was saved)
    const { deps, accounts, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", ALICE, 100n);
    await creditDeposits(deps);
    accounts.forgetCursor = true;
    // Act
    const outcome = await creditDeposits(deps);
    // Assess
    expect(outcome).toEqual({ credited: 0, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(100n);
  });

  it("credits a memo with surrounding whitespace to the account it names", async () => {
    const { deps, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", `  ${ALICE}\n`, 42n);
    expect(await creditDeposits(deps)).toEqual({ credited: 1, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(42n);
  });

  it("holds a deposit for an account not opened yet, and the account opens with it", async () => {
    // Prepare
    const { deps, accounts, ledger, logger } = await setup();
    ledger.deposit(1, "0.0.5001", "0.0.404", 100n);
    // Act
    const outcome = await creditDeposits(deps);
    // Assess
    expect(outcome).toEqual({ credited: 1, skipped: 0 });
    expect(await accounts.get("0.0.404")).toBeNull();
    expect(logger.at("warn").map((entry) => entry.message)).toContain("deposit held until the account is opened");
    await accounts.create({ accountId: "0.0.404", createdAt: "2030-01-01T00:00:00.000Z" });
    expect((await accounts.get("0.0.404"))?.balanceTinybars).toBe(100n);
    // A rescan credits nothing twice.
    accounts.forgetCursor = true;
    expect(await creditDeposits(deps)).toEqual({ credited: 0, skipped: 0 });
    expect((await accounts.get("0.0.404"))?.balanceTinybars).toBe(100n);
  });

  it("reads a memo with leading zeros as the account id it names", async () => {
    const { deps, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", ` 0.0.${"0".repeat(3)}${ALICE.split(".")[2]} `, 10n);
    expect(await creditDeposits(deps)).toEqual({ credited: 1, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(10n);
  });

  it.each([
    ["an empty memo", "", 100n],
    ["a memo that is not an account id", "thanks!", 100n],
    ["a zero amount", ALICE, 0n],
  ])("skips %s, logs it, and moves on", async (_, memo, amount) => {
    // Prepare
    const { deps, accounts, ledger, logger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", memo, amount).deposit(2, "0.0.5002", BOB, 9n);
    // Act
    const outcome = await creditDeposits(deps);
    // Assess
    expect(outcome).toEqual({ credited: 1, skipped: 1 });
    expect(await balanceOf(ALICE)).toBe(0n);
    expect(await balanceOf(BOB)).toBe(9n);
    expect(await accounts.depositCursor()).toBe(ts(2));
    expect(logger.at("warn")).toEqual([{ level: "warn", message: "deposit whose memo names no account", attributes: { transactionId: "0.0.5001@1", from: "0.0.5001", memo, amount: amount.toString() } }]);
  });

  it("moves the cursor past a page that holds only payouts", async () => {
    // Prepare
    const { deps, accounts, ledger } = await setup();
    ledger.payout(1).payout(2);
    // Act
    const outcome = await creditDeposits(deps);
    // Assess
    expect(outcome).toEqual({ credited: 0, skipped: 0 });
    expect(await accounts.depositCursor()).toBe(ts(2));
  });

  it("reads page after page, including pages of payouts, until a page is not full", async () => {
    // Prepare: payouts fill the first page; deposits follow
    const { deps, accounts, ledger, balanceOf } = await setup();
    ledger.payout(1).payout(2).deposit(3, "0.0.5001", ALICE, 10n).payout(4).deposit(5, "0.0.5002", BOB, 20n);
    // Act
    const outcome = await creditDeposits(deps, { pageSize: 2 });
    // Assess
    expect(outcome).toEqual({ credited: 2, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(10n);
    expect(await balanceOf(BOB)).toBe(20n);
    expect(ledger.requests.map((r) => r.after)).toEqual([undefined, ts(2), ts(4)]);
    expect(await accounts.depositCursor()).toBe(ts(5));
  });

  it("stops after maxPages and resumes where it stopped on the next run", async () => {
    // Prepare
    const { deps, accounts, ledger, balanceOf } = await setup();
    for (let n = 1; n <= 6; n++) ledger.deposit(n, "0.0.5001", ALICE, 1n);
    // Act
    const first = await creditDeposits(deps, { pageSize: 2, maxPages: 2 });
    const cursorAfterFirst = await accounts.depositCursor();
    const second = await creditDeposits(deps, { pageSize: 2, maxPages: 2 });
    // Assess
    expect(first).toEqual({ credited: 4, skipped: 0 });
    expect(cursorAfterFirst).toBe(ts(4));
    expect(second).toEqual({ credited: 2, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(6n);
  });

  it("keeps the cursor on the last handled deposit when crediting fails, and the next run finishes the job", async () => {
    // Prepare
    const { deps, accounts, ledger, balanceOf } = await setup();
    ledger.deposit(1, "0.0.5001", ALICE, 10n).deposit(2, "0.0.5001", ALICE, 20n).deposit(3, "0.0.5002", BOB, 30n);
    accounts.failCreditOf = "0.0.5001@2";
    // Act
    await expect(creditDeposits(deps)).rejects.toThrow("store unavailable");
    const cursorAfterFailure = await accounts.depositCursor();
    accounts.failCreditOf = undefined;
    const retry = await creditDeposits(deps);
    // Assess
    expect(cursorAfterFailure).toBe(ts(1));
    expect(retry).toEqual({ credited: 2, skipped: 0 });
    expect(await balanceOf(ALICE)).toBe(30n);
    expect(await balanceOf(BOB)).toBe(30n);
  });

  it("logs each credit", async () => {
    const { deps, ledger, logger } = await setup();
    ledger.deposit(1, "0.0.5001", ALICE, 10n);
    await creditDeposits(deps);
    expect(logger.at("info")).toEqual([{ level: "info", message: "deposit credited", attributes: { accountId: ALICE, transactionId: "0.0.5001@1", amount: "10" } }]);
  });
});
