import { describe, expect, it } from "vitest";
import type { AccountStore } from "../../src/index.js";
import { uniqueAccountId, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** What every AccountStore must do. Account ids are unique per test, so stores may share a table. */
export function accountStoreContract(makeStore: Make<AccountStore>): void {
  describe("AccountStore contract", () => {
    it("creates an account once, with a zero balance", async () => {
      const store = await makeStore();
      const accountId = uniqueAccountId();
      expect(await store.create({ accountId, createdAt: "2030-01-01T00:00:00.000Z" })).toBe(true);
      expect(await store.create({ accountId, createdAt: "2030-01-02T00:00:00.000Z" })).toBe(false);
      expect(await store.get(accountId)).toEqual({ accountId, createdAt: "2030-01-01T00:00:00.000Z", balanceTinybars: 0n });
    });

    it("returns null for an unknown account", async () => {
      expect(await (await makeStore()).get(uniqueAccountId())).toBeNull();
    });

    it("credits a deposit exactly once per transaction id, with exact integer amounts", async () => {
      const store = await makeStore();
      const accountId = uniqueAccountId();
      await store.create({ accountId, createdAt: "2030-01-01T00:00:00.000Z" });
      const deposit = { accountId, transactionId: `0.0.2@${uniqueId("tx")}`, from: "0.0.99", amountTinybars: 12_345_678_901_234_567n, consensusTimestamp: "1900000000.000000001" };
      expect(await store.creditDeposit(deposit)).toBe(true);
      expect(await store.creditDeposit(deposit)).toBe(false);
      expect(await store.creditDeposit({ ...deposit, transactionId: `0.0.2@${uniqueId("tx")}`, amountTinybars: 1n })).toBe(true);
      expect((await store.get(accountId))?.balanceTinybars).toBe(12_345_678_901_234_568n);
    });

    it("holds a deposit made before the account was opened and counts it when it opens", async () => {
      const store = await makeStore();
      const accountId = uniqueAccountId();
      const deposit = { accountId, transactionId: `0.0.2@${uniqueId("tx")}`, from: "0.0.99", amountTinybars: 500n, consensusTimestamp: "1900000000.000000001" };
      expect(await store.creditDeposit(deposit)).toBe(true);
      expect(await store.creditDeposit(deposit)).toBe(false);
      expect(await store.get(accountId)).toBeNull();
      expect(await store.create({ accountId, createdAt: "2030-01-01T00:00:00.000Z" })).toBe(true);
      expect(await store.get(accountId)).toEqual({ accountId, createdAt: "2030-01-01T00:00:00.000Z", balanceTinybars: 500n });
      expect(await store.create({ accountId, createdAt: "2030-01-02T00:00:00.000Z" })).toBe(false);
      expect(await store.creditDeposit({ ...deposit, transactionId: `0.0.2@${uniqueId("tx")}`, amountTinybars: 7n })).toBe(true);
      expect((await store.get(accountId))?.balanceTinybars).toBe(507n);
    });

    it("keeps the deposit scan cursor", async () => {
      const store = await makeStore();
      await store.saveDepositCursor("1900000001.000000002");
      expect(await store.depositCursor()).toBe("1900000001.000000002");
    });
  });
}
