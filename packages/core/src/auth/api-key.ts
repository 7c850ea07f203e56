import { createHash, randomBytes } from "node:crypto";

/**
 * API keys look like `tn_<43 base64url chars>`: 256 random bits. Only the SHA-256 of the
 * secret is stored, so a leaked table does not leak usable keys. A fast hash is the right
 * choice here (unlike passwords): the secret has full entropy, so it cannot be brute-forced.
 */
export const API_KEY_PREFIX = "tn_";

export interface ApiKeyRecord {
  /** SHA-256 (hex) of the whole secret: the lookup key. */
  keyHash: string;
  /** A public identifier for listing and revoking, never usable as a credential. */
  keyId: string;
  ownerId: string;
  name: string;
  /** The first characters of the secret, so a user can recognise a key in a list. */
  hint: string;
  status: "active" | "revoked";
  createdAt: string;
  revokedAt?: string;
  /** Requests per minute this key may make (per API instance); absent = the network default. */
  rateLimitPerMinute?: number;
  /** The most this key may ever spend, in tinybars (integer string); absent = no limit beyond the balance. */
  spendLimitTinybars?: string;
  /** What this key has spent so far (tinybars), maintained by the usage ledger when it charges. */
  spentTinybars?: string;
}

export const hashApiKey = (secret: string): string => createHash("sha256").update(secret, "utf8").digest("hex");

export function generateApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Cheap shape check before any lookup, so junk never reaches the store. */
export const looksLikeApiKey = (value: string): boolean =>
  value.startsWith(API_KEY_PREFIX) && value.length >= 20 && value.length <= 200 && /^[A-Za-z0-9_-]+$/.test(value);
