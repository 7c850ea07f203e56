import { z } from "zod";
import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { AccountStore } from "../ports/accounts.js";
import type { ApiKeyStore } from "../ports/api-keys.js";
import type { Clock, IdGenerator } from "../ports/clock.js";
import { issueApiKey } from "../auth/authenticate.js";
import type { ApiKeyRecord } from "../auth/api-key.js";
import type { AccountRecord } from "./account.js";

export interface AccountDeps {
  accounts: AccountStore;
  apiKeys: ApiKeyStore;
  clock: Clock;
  ids: IdGenerator;
}

/** Limits a key can carry; both optional. Wire names are snake_case like the rest of the API. */
export const apiKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).default("default"),
  rate_limit_per_minute: z.int().min(1).max(100_000).optional(),
  spend_limit_tinybars: z.string().regex(/^\d{1,18}$/, "must be a whole number of tinybars, as a string").optional(),
});
export type ApiKeyRequest = z.input<typeof apiKeyRequestSchema>;

export const accountRequestSchema = z.strictObject({
  key: apiKeyRequestSchema.optional(),
});

/**
 * Opens an account for the Hedera account that signed the request and issues its first API key.
 * The signature is the proof of ownership; nobody can open an account for someone else's id.
 */
export async function openAccount(deps: AccountDeps, hederaAccountId: string, body: unknown): Promise<{ account: AccountRecord; secret: string; key: ApiKeyRecord }> {
  const request = parseInput(accountRequestSchema, body ?? {});
  const createdAt = deps.clock.now().toISOString();
  if (!(await deps.accounts.create({ accountId: hederaAccountId, createdAt }))) {
    throw new DomainError("conflict", `Account ${hederaAccountId} already exists. Create more keys with POST /v1/keys.`);
  }
  const { secret, record } = await createApiKey(deps, hederaAccountId, request.key ?? {});
  // Read back: deposits made before the account was opened are already on it.
  const account = (await deps.accounts.get(hederaAccountId)) ?? { accountId: hederaAccountId, createdAt, balanceTinybars: 0n };
  return { account, secret, key: record };
}

export async function getAccount(deps: Pick<AccountDeps, "accounts">, accountId: string): Promise<AccountRecord> {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new DomainError("not_found", `No account ${accountId}. Open one with a signed POST /v1/accounts.`);
  return account;
}

/**
 * Active keys an account may hold at once. Each key has its own rate limit (up to 100 000 a minute),
 * so without a cap an account could multiply its limit, and its stored keys, without bound.
 * Checked when a key is created, so concurrent creations may pass it by a few.
 */
export const MAX_ACTIVE_KEYS_PER_ACCOUNT = 50;

export async function createApiKey(deps: AccountDeps, ownerId: string, body: unknown): Promise<{ secret: string; record: ApiKeyRecord }> {
  const request = parseInput(apiKeyRequestSchema, body ?? {});
  const active = (await deps.apiKeys.listByOwner(ownerId)).filter((key) => key.status === "active").length;
  if (active >= MAX_ACTIVE_KEYS_PER_ACCOUNT) {
    throw new DomainError("conflict", `This account already has ${active} active API keys, the most it may hold. Revoke one (DELETE /v1/keys/{id}) before creating another.`);
  }
  return issueApiKey(deps, {
    ownerId,
    name: request.name,
    ...(request.rate_limit_per_minute !== undefined && { rateLimitPerMinute: request.rate_limit_per_minute }),
    ...(request.spend_limit_tinybars !== undefined && { spendLimitTinybars: request.spend_limit_tinybars }),
  });
}

export async function listApiKeys(deps: Pick<AccountDeps, "apiKeys">, ownerId: string): Promise<ApiKeyRecord[]> {
  return deps.apiKeys.listByOwner(ownerId);
}

/** Revokes one of the account's keys. Revoking twice is fine; another account's key id is "not found". */
export async function revokeApiKey(deps: Pick<AccountDeps, "apiKeys" | "clock">, ownerId: string, keyId: string): Promise<ApiKeyRecord> {
  const record = (await deps.apiKeys.listByOwner(ownerId)).find((key) => key.keyId === keyId);
  if (!record) throw new DomainError("not_found", `No API key '${keyId}' on this account.`, "key_id");
  if (record.status === "revoked") return record;
  const revoked: ApiKeyRecord = { ...record, status: "revoked", revokedAt: deps.clock.now().toISOString() };
  await deps.apiKeys.save(revoked);
  return revoked;
}

/** A key as listed: never the secret or its hash. */
export function publicApiKey(record: ApiKeyRecord, secret?: string) {
  return {
    object: "api_key" as const,
    id: record.keyId,
    name: record.name,
    hint: record.hint,
    status: record.status,
    rate_limit_per_minute: record.rateLimitPerMinute ?? null,
    spend_limit_tinybars: record.spendLimitTinybars ?? null,
    spent_tinybars: record.spentTinybars ?? "0",
    created_at: record.createdAt,
    revoked_at: record.revokedAt ?? null,
    ...(secret !== undefined && { secret }),
  };
}
