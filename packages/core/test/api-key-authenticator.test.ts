import { describe, expect, it } from "vitest";
import { ApiKeyAuthenticator, generateApiKeySecret, hashApiKey, issueApiKey, principalOf, type ApiKeyRecord, type ApiKeyStore } from "../src/index.js";
import { FixedClock, InMemoryApiKeyStore, SequentialIds, anApiKeyRecord } from "../testing/index.js";

const TTL_MS = 5_000;

/** An InMemoryApiKeyStore that counts lookups, so tests can tell a cache hit from a store read. */
class CountingApiKeyStore extends InMemoryApiKeyStore implements ApiKeyStore {
  lookups = 0;

  override async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    this.lookups++;
    return super.findByHash(keyHash);
  }
}

async function setup(limits: { rateLimitPerMinute?: number; spendLimitTinybars?: string } = {}) {
  const apiKeys = new CountingApiKeyStore();
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const { secret, record } = await issueApiKey({ apiKeys, clock, ids: new SequentialIds() }, { ownerId: "0.0.1001", name: "server", ...limits });
  const authenticator = new ApiKeyAuthenticator({ apiKeys, clock }, { ttlMs: TTL_MS });
  return { apiKeys, clock, secret, record, authenticator };
}

describe("issueApiKey with limits", () => {
  it("stores the key's rate and spending limits", async () => {
    // Prepare / Act
    const { apiKeys, record, secret } = await setup({ rateLimitPerMinute: 30, spendLimitTinybars: "5000" });
    // Assess
    expect(record).toEqual({
      keyHash: hashApiKey(secret),
      keyId: "key_id0001",
      ownerId: "0.0.1001",
      name: "server",
      hint: secret.slice(0, 7),
      status: "active",
      createdAt: "2030-01-01T00:00:00.000Z",
      rateLimitPerMinute: 30,
      spendLimitTinybars: "5000",
    });
    expect(await apiKeys.findByHash(record.keyHash)).toEqual(record);
  });
});

describe("principalOf", () => {
  it("turns the stored strings into bigints", () => {
    const record = anApiKeyRecord({ ownerId: "0.0.7", keyId: "key_1", keyHash: "h1", rateLimitPerMinute: 12, spendLimitTinybars: "900000000000000000", spentTinybars: "42" });
    expect(principalOf(record)).toEqual({ ownerId: "0.0.7", keyId: "key_1", keyHash: "h1", rateLimitPerMinute: 12, spendLimitTinybars: 900_000_000_000_000_000n, spentTinybars: 42n });
  });

  it("leaves absent limits out and counts nothing spent yet as zero", () => {
    const principal = principalOf(anApiKeyRecord({ ownerId: "0.0.7", keyId: "key_1", keyHash: "h1" }));
    expect(principal).toEqual({ ownerId: "0.0.7", keyId: "key_1", keyHash: "h1", spentTinybars: 0n });
    expect("rateLimitPerMinute" in principal).toBe(false);
    expect("spendLimitTinybars" in principal).toBe(false);
  });

  it("keeps a spending limit of zero", () => {
    expect(principalOf(anApiKeyRecord({ spendLimitTinybars: "0" })).spendLimitTinybars).toBe(0n);
  });
});

describe("ApiKeyAuthenticator", () => {
  it("resolves an active key to its principal, with its limits", async () => {
    const { secret, record, authenticator } = await setup({ rateLimitPerMinute: 30, spendLimitTinybars: "5000" });
    expect(await authenticator.authenticate(secret)).toEqual({
      ownerId: "0.0.1001",
      keyId: "key_id0001",
      keyHash: record.keyHash,
      rateLimitPerMinute: 30,
      spendLimitTinybars: 5000n,
      spentTinybars: 0n,
    });
  });

  it("reads the store once per TTL for a busy key", async () => {
    // Prepare
    const { apiKeys, clock, secret, authenticator } = await setup();
    // Act
    for (let i = 0; i < 5; i++) await authenticator.authenticate(secret);
    clock.advance(TTL_MS - 1);
    await authenticator.authenticate(secret);
    const beforeExpiry = apiKeys.lookups;
    clock.advance(1);
    await authenticator.authenticate(secret);
    // Assess
    expect(beforeExpiry).toBe(1);
    expect(apiKeys.lookups).toBe(2);
  });

  it("shares one store read between concurrent requests with a cold key", async () => {
    const { apiKeys, secret, authenticator } = await setup();
    await Promise.all([authenticator.authenticate(secret), authenticator.authenticate(secret), authenticator.authenticate(secret)]);
    expect(apiKeys.lookups).toBe(1);
  });

  it("remembers an unknown key briefly, so repeating it does not hammer the store", async () => {
    // Prepare
    const { apiKeys, clock, authenticator } = await setup();
    const unknown = generateApiKeySecret();
    // Act / Assess
    await expect(authenticator.authenticate(unknown)).rejects.toMatchObject({ name: "DomainError", code: "unauthenticated" });
    await expect(authenticator.authenticate(unknown)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(apiKeys.lookups).toBe(1);
    clock.advance(TTL_MS);
    await expect(authenticator.authenticate(unknown)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(apiKeys.lookups).toBe(2);
  });

  it.each([
    ["a missing key", undefined, "Missing API key. Send 'Authorization: Bearer <key>'."],
    ["an empty key", "", "Missing API key. Send 'Authorization: Bearer <key>'."],
    ["junk", "tn_not a key!", "Invalid API key."],
    ["a key of another service", `sk_${"a".repeat(43)}`, "Invalid API key."],
  ])("refuses %s without reading the store", async (_, secret, message) => {
    const { apiKeys, authenticator } = await setup();
    await expect(authenticator.authenticate(secret)).rejects.toMatchObject({ code: "unauthenticated", message });
    expect(apiKeys.lookups).toBe(0);
  });

  it("sees a key revoked by another instance once the TTL has passed", async () => {
    // Prepare
    const { apiKeys, clock, secret, record, authenticator } = await setup();
    await authenticator.authenticate(secret);
    await apiKeys.save({ ...record, status: "revoked", revokedAt: "2030-01-01T00:00:01.000Z" });
    // Act / Assess
    await expect(authenticator.authenticate(secret)).resolves.toMatchObject({ keyId: "key_id0001" });
    clock.advance(TTL_MS);
    await expect(authenticator.authenticate(secret)).rejects.toMatchObject({ code: "unauthenticated", message: "Invalid API key." });
  });

  it("sees a revocation at once after forget", async () => {
    // Prepare
    const { apiKeys, secret, record, authenticator } = await setup();
    await authenticator.authenticate(secret);
    await apiKeys.save({ ...record, status: "revoked" });
    // Act
    authenticator.forget(record.keyHash);
    // Assess
    await expect(authenticator.authenticate(secret)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("adds landed charges to the cached spent total", async () => {
    // Prepare
    const { apiKeys, secret, record, authenticator } = await setup({ spendLimitTinybars: "1000" });
    await authenticator.authenticate(secret);
    // Act
    authenticator.noteCharged(record.keyHash, 120n);
    authenticator.noteCharged(record.keyHash, 30n);
    // Assess
    expect((await authenticator.authenticate(secret)).spentTinybars).toBe(150n);
    expect(apiKeys.lookups).toBe(1);
  });

  it("ignores charges for a key it has not cached (the next read brings the stored total)", async () => {
    // Prepare
    const { apiKeys, secret, record, authenticator } = await setup();
    // Act
    authenticator.noteCharged(record.keyHash, 120n);
    apiKeys.addSpent(record.keyHash, 120n);
    // Assess
    expect((await authenticator.authenticate(secret)).spentTinybars).toBe(120n);
  });

  it("does not keep a busy key's entry fresh forever: charges do not extend the TTL", async () => {
    // Prepare: a key in steady use, revoked through another instance
    const { apiKeys, clock, secret, record, authenticator } = await setup();
    await authenticator.authenticate(secret);
    await apiKeys.save({ ...record, status: "revoked" });
    // Act: a charge lands every second, past the TTL
    for (let second = 0; second < 5; second++) {
      clock.advance(1_000);
      authenticator.noteCharged(record.keyHash, 1n);
    }
    // Assess
    await expect(authenticator.authenticate(secret)).rejects.toMatchObject({ code: "unauthenticated" });
  });
});
