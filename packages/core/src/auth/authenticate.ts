import { DomainError } from "../shared/errors.js";
import { TtlCache } from "../shared/ttl-cache.js";
import type { ApiKeyStore } from "../ports/api-keys.js";
import { generateApiKeySecret, hashApiKey, looksLikeApiKey, type ApiKeyRecord } from "./api-key.js";
import type { Clock, IdGenerator } from "../ports/clock.js";

/** Who is calling: the account behind a verified API key, and that key's limits. */
export interface Principal {
  ownerId: string;
  keyId: string;
  /** Identifies the key to the usage ledger (its spent total); never leaves the system. */
  keyHash: string;
  rateLimitPerMinute?: number;
  spendLimitTinybars?: bigint;
  spentTinybars: bigint;
}

export function principalOf(record: ApiKeyRecord): Principal {
  return {
    ownerId: record.ownerId,
    keyId: record.keyId,
    keyHash: record.keyHash,
    ...(record.rateLimitPerMinute !== undefined && { rateLimitPerMinute: record.rateLimitPerMinute }),
    ...(record.spendLimitTinybars !== undefined && { spendLimitTinybars: BigInt(record.spendLimitTinybars) }),
    spentTinybars: BigInt(record.spentTinybars ?? "0"),
  };
}

/** Resolves an API key secret to its principal, or throws `unauthenticated`. Reads the store every time. */
export async function authenticateApiKey(deps: { apiKeys: ApiKeyStore }, secret: string | undefined): Promise<Principal> {
  assertPlausible(secret);
  return principalOrThrow(await deps.apiKeys.findByHash(hashApiKey(secret)));
}

/**
 * API key authentication for the hot path: records are cached by hash for a few seconds (unknown
 * keys too, briefly, so junk cannot hammer the store). Revoking through this process takes effect
 * at once; another instance sees it within the TTL.
 */
export class ApiKeyAuthenticator {
  readonly #cache: TtlCache<string, ApiKeyRecord | null>;

  constructor(private readonly deps: { apiKeys: ApiKeyStore; clock: Clock }, options: { ttlMs?: number } = {}) {
    this.#cache = new TtlCache({ ttlMs: options.ttlMs ?? 5_000, clock: deps.clock });
  }

  async authenticate(secret: string | undefined): Promise<Principal> {
    assertPlausible(secret);
    const keyHash = hashApiKey(secret);
    return principalOrThrow(await this.#cache.get(keyHash, (hash) => this.deps.apiKeys.findByHash(hash)));
  }

  /** The key changed (revoked, limits edited): drop it so the next request reads the store. */
  forget(keyHash: string): void {
    this.#cache.invalidate(keyHash);
  }

  /** A charge landed: keep the cached spent total in step with the store. */
  noteCharged(keyHash: string, cost: bigint): void {
    // `update`, not `set`: a steady stream of charges must not keep the entry fresh forever, or a
    // revocation made through another instance would never be seen here.
    this.#cache.update(keyHash, (cached) => cached && { ...cached, spentTinybars: (BigInt(cached.spentTinybars ?? "0") + cost).toString() });
  }
}

function assertPlausible(secret: string | undefined): asserts secret is string {
  if (!secret) throw new DomainError("unauthenticated", "Missing API key. Send 'Authorization: Bearer <key>'.");
  if (!looksLikeApiKey(secret)) throw new DomainError("unauthenticated", "Invalid API key.");
}

function principalOrThrow(record: ApiKeyRecord | null): Principal {
  if (!record || record.status !== "active") throw new DomainError("unauthenticated", "Invalid API key.");
  return principalOf(record);
}

export interface ApiKeyLimits {
  rateLimitPerMinute?: number;
  spendLimitTinybars?: string;
}

/** Creates a key for an account; the secret is returned once and never stored. */
export async function issueApiKey(
  deps: { apiKeys: ApiKeyStore; clock: Clock; ids: IdGenerator },
  request: { ownerId: string; name: string } & ApiKeyLimits,
): Promise<{ secret: string; record: ApiKeyRecord }> {
  const secret = generateApiKeySecret();
  const record: ApiKeyRecord = {
    keyHash: hashApiKey(secret),
    keyId: `key_${deps.ids.next()}`,
    ownerId: request.ownerId,
    name: request.name,
    hint: secret.slice(0, 7),
    status: "active",
    createdAt: deps.clock.now().toISOString(),
    ...(request.rateLimitPerMinute !== undefined && { rateLimitPerMinute: request.rateLimitPerMinute }),
    ...(request.spendLimitTinybars !== undefined && { spendLimitTinybars: request.spendLimitTinybars }),
  };
  await deps.apiKeys.save(record);
  return { secret, record };
}

/** Parses an `Authorization: Bearer <key>` header value. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
