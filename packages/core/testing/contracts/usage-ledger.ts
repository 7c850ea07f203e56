import { describe, expect, it } from "vitest";
import type { AccountStore, ApiKeyStore, UsageLedger, UsageRecord } from "../../src/index.js";
import { anApiKeyRecord, uniqueAccountId, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

export interface UsageHarness {
  usage: UsageLedger;
  accounts: AccountStore;
  apiKeys: ApiKeyStore;
}

export function aUsageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: uniqueId("req"),
    ownerId: uniqueAccountId(),
    keyId: uniqueId("key"),
    keyHash: uniqueId("hash"),
    operation: "chat.completions",
    model: "stories260K",
    modality: "llm",
    minerId: "0.0.1001",
    unit: "token",
    units: 42,
    pricePerUnit: 10n,
    cost: 420n,
    source: "sync",
    createdAt: "2030-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** What every UsageLedger must do: charge once per id, atomically with the balance and the key's spent total. */
export function usageLedgerContract(make: Make<UsageHarness>): void {
  describe("UsageLedger contract", () => {
    const setUp = async (shared?: UsageHarness) => {
      const harness = shared ?? (await make());
      const ownerId = uniqueAccountId();
      await harness.accounts.create({ accountId: ownerId, createdAt: "2030-01-01T00:00:00.000Z" });
      const key = anApiKeyRecord({ ownerId });
      await harness.apiKeys.save(key);
      return { ...harness, ownerId, key };
    };

    it("debits the balance and the key's spent total once, however often the same record is charged", async () => {
      const { usage, accounts, apiKeys, ownerId, key } = await setUp();
      const record = aUsageRecord({ ownerId, keyId: key.keyId, keyHash: key.keyHash, cost: 420n });
      expect(await usage.charge(record)).toBe("charged");
      expect(await usage.charge(record)).toBe("duplicate");
      expect(await usage.charge({ ...record, createdAt: "2030-01-01T00:00:05.000Z" })).toBe("duplicate");
      expect((await accounts.get(ownerId))?.balanceTinybars).toBe(-420n);
      expect((await apiKeys.findByHash(key.keyHash))?.spentTinybars).toBe("420");
    });

    it("charges a batch atomically: records stored, balances and spent totals summed per account and key", async () => {
      const first = await setUp();
      const second = await setUp(first);
      const records = [
        aUsageRecord({ ownerId: first.ownerId, keyId: first.key.keyId, keyHash: first.key.keyHash, cost: 100n }),
        aUsageRecord({ ownerId: first.ownerId, keyId: first.key.keyId, keyHash: first.key.keyHash, cost: 23n }),
        aUsageRecord({ ownerId: second.ownerId, keyId: second.key.keyId, keyHash: second.key.keyHash, cost: 7n }),
      ];
      expect(await first.usage.chargeBatch(records)).toBe("charged");
      expect((await first.accounts.get(first.ownerId))?.balanceTinybars).toBe(-123n);
      expect((await first.accounts.get(second.ownerId))?.balanceTinybars).toBe(-7n);
      expect((await first.apiKeys.findByHash(first.key.keyHash))?.spentTinybars).toBe("123");
      expect((await first.usage.listByOwner(first.ownerId, { limit: 10 })).map((r) => r.id).sort()).toEqual([records[0]!.id, records[1]!.id].sort());
      // Any record already charged: the whole batch is refused and nothing changes.
      expect(await first.usage.chargeBatch([records[0]!, aUsageRecord({ ownerId: first.ownerId, keyId: first.key.keyId, keyHash: first.key.keyHash, cost: 1_000n })])).toBe("conflict");
      expect((await first.accounts.get(first.ownerId))?.balanceTinybars).toBe(-123n);
      expect(await first.usage.charge(records[2]!)).toBe("duplicate");
    });

    it("lists an account's records newest first, paging with `before`, amounts exact", async () => {
      const { usage, ownerId, key } = await setUp();
      const records = [1, 2, 3].map((n) => aUsageRecord({ ownerId, keyId: key.keyId, keyHash: key.keyHash, createdAt: `2030-01-01T00:00:0${n}.000Z`, cost: 9_007_199_254_740_993n + BigInt(n) }));
      for (const record of records) await usage.charge(record);
      const firstPage = await usage.listByOwner(ownerId, { limit: 2 });
      expect(firstPage.map((r) => r.id)).toEqual([records[2]!.id, records[1]!.id]);
      expect(firstPage[0]).toEqual(records[2]);
      const secondPage = await usage.listByOwner(ownerId, { limit: 2, before: firstPage[1]!.id });
      expect(secondPage.map((r) => r.id)).toEqual([records[0]!.id]);
      expect(await usage.listByOwner(uniqueAccountId(), { limit: 10 })).toEqual([]);
    });
  });
}
