import type { ApiKeyRecord } from "../auth/api-key.js";

export interface ApiKeyStore {
  save(record: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
}
