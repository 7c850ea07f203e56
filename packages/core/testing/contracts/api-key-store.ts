import { describe, expect, it } from "vitest";
import type { ApiKeyStore } from "../../src/index.js";
import { anApiKeyRecord } from "../fixtures.js";

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

    it("replaces a record saved again under the same hash (revocation)", async () => {
      const store = await makeStore();
      const record = anApiKeyRecord();
      await store.save(record);
      await store.save({ ...record, status: "revoked" });
      expect(await store.findByHash(record.keyHash)).toEqual({ ...record, status: "revoked" });
    });
  });
}
