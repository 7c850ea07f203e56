import type { ApiKeyRecord } from "../auth/api-key.js";

export interface ApiKeyStore {
  /** Creates or replaces the record under its hash (revocation saves it again as `revoked`). */
  save(record: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Every key of an account, newest first, revoked ones included. */
  listByOwner(ownerId: string): Promise<ApiKeyRecord[]>;
}
