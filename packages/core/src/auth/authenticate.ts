import { DomainError } from "../shared/errors.js";
import type { ApiKeyStore } from "../ports/api-keys.js";
import { generateApiKeySecret, hashApiKey, looksLikeApiKey, type ApiKeyRecord } from "./api-key.js";
import type { Clock, IdGenerator } from "../ports/clock.js";

/** Who is calling: the account behind a verified API key. */
export interface Principal {
  ownerId: string;
  keyId: string;
}

/** Resolves an API key secret to its principal, or throws `unauthenticated`. */
export async function authenticateApiKey(deps: { apiKeys: ApiKeyStore }, secret: string | undefined): Promise<Principal> {
  if (!secret) throw new DomainError("unauthenticated", "Missing API key. Send 'Authorization: Bearer <key>'.");
  if (!looksLikeApiKey(secret)) throw new DomainError("unauthenticated", "Invalid API key.");
  const record = await deps.apiKeys.findByHash(hashApiKey(secret));
  if (!record || record.status !== "active") throw new DomainError("unauthenticated", "Invalid API key.");
  return { ownerId: record.ownerId, keyId: record.keyId };
}

/** Creates a key for an account; the secret is returned once and never stored. */
export async function issueApiKey(
  deps: { apiKeys: ApiKeyStore; clock: Clock; ids: IdGenerator },
  request: { ownerId: string; name: string },
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
