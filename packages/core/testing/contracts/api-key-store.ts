import { describe, expect, it } from "vitest";
import type { ApiKeyStore } from "../../src/index.js";
import { anApiKeyRecord, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** What every ApiKeyStore must do. Key hashes are unique per test, so stores may share one table. */
export function apiKeyStoreContract(makeStore: Make<ApiKeyStore>): void {
  describe("ApiKeyStore contract", () => {
    it("finds a saved record by its hash", async () => {
      const store = await makeStore();
      const record = anApiKeyRecord();
      await store.save(record);
      expect(await store.findByHash(record.keyHash)).toEqual(record);
    });

    it("returns null for an unknown hash", async () => {
      const store = await makeStore();
      expect(await store.findByHash(anApiKeyRecord().keyHash)).toBeNull();
    });

    it("lists an account's keys newest first, with their limits, and no one else's", async () => {
      const store = await makeStore();
      const ownerId = uniqueId("owner");
      const older = anApiKeyRecord({ ownerId, createdAt: "2030-01-01T00:00:00.000Z", rateLimitPerMinute: 60, spendLimitTinybars: "5000" });
      const newer = anApiKeyRecord({ ownerId, createdAt: "2030-01-02T00:00:00.000Z" });
      await store.save(older);
      await store.save(newer);
      await store.save(anApiKeyRecord());
      expect((await store.listByOwner(ownerId)).map((k) => k.keyId)).toEqual([newer.keyId, older.keyId]);
      expect((await store.listByOwner(ownerId))[1]).toMatchObject({ rateLimitPerMinute: 60, spendLimitTinybars: "5000" });
    });

    it("replaces a record saved again under the same hash (revocation)", async () => {
      const store = await makeStore();
      const record = anApiKeyRecord();
      await store.save(record);
      await store.save({ ...record, status: "revoked" });
      expect(await store.findByHash(record.keyHash)).toEqual({ ...record, status: "revoked" });
    });
  });
}
