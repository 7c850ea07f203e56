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

  async listByOwner(ownerId: string): Promise<ApiKeyRecord[]> {
    return [...this.#records.values()]
      .filter((record) => record.ownerId === ownerId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((record) => ({ ...record }));
  }

  /** The usage ledger adds charges here, as the DynamoDB ledger does in its transaction. */
  addSpent(keyHash: string, amount: bigint): void {
    const record = this.#records.get(keyHash);
    if (record) record.spentTinybars = (BigInt(record.spentTinybars ?? "0") + amount).toString();
  }

  /** Everything stored, for assertions such as "the secret is not stored". */
  all(): ApiKeyRecord[] {
    return [...this.#records.values()].map((record) => ({ ...record }));
  }
}
