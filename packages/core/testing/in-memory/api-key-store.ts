import type { ApiKeyRecord, ApiKeyStore } from "../../src/index.js";

/** ApiKeyStore in memory: one record per key hash; saving again replaces it (revocation). */
export class InMemoryApiKeyStore implements ApiKeyStore {
  readonly #records = new Map<string, ApiKeyRecord>();

  async save(record: ApiKeyRecord): Promise<void> {
    this.#records.set(record.keyHash, { ...record });
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const record = this.#records.get(keyHash);
    return record ? { ...record } : null;
  }

  /** Everything stored, for assertions such as "the secret is not stored". */
  all(): ApiKeyRecord[] {
    return [...this.#records.values()].map((record) => ({ ...record }));
  }
}
