import { describe, expect, it } from "vitest";
import { MAX_ACTIVE_KEYS_PER_ACCOUNT, createApiKey, getAccount, hashApiKey, listApiKeys, openAccount, publicAccount, publicApiKey, revokeApiKey } from "../src/index.js";
import { FixedClock, InMemoryAccountStore, InMemoryApiKeyStore, SequentialIds, anApiKeyRecord } from "../testing/index.js";

const OWNER = "0.0.1001";

function setup() {
  const accounts = new InMemoryAccountStore();
  const apiKeys = new InMemoryApiKeyStore();
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  return { deps: { accounts, apiKeys, clock, ids: new SequentialIds() }, accounts, apiKeys, clock };
}

describe("openAccount", () => {
  it("creates the account with a zero balance and issues its first key", async () => {
    // Prepare
    const { deps, accounts, apiKeys } = setup();
    // Act
    const opened = await openAccount(deps, OWNER, undefined);
    // Assess
    expect(opened.account).toEqual({ accountId: OWNER, createdAt: "2030-01-01T00:00:00.000Z", balanceTinybars: 0n });
    expect(await accounts.get(OWNER)).toEqual(opened.account);
    expect(opened.key).toMatchObject({ keyId: "key_id0001", ownerId: OWNER, name: "default", status: "active", keyHash: hashApiKey(opened.secret) });
    expect(apiKeys.all()).toEqual([opened.key]);
  });

  it("gives the first key the name and limits asked for", async () => {
    const { deps } = setup();
    const { key } = await openAccount(deps, OWNER, { key: { name: "  backend  ", rate_limit_per_minute: 120, spend_limit_tinybars: "250000000" } });
    expect(key).toMatchObject({ name: "backend", rateLimitPerMinute: 120, spendLimitTinybars: "250000000" });
  });

  it("refuses to open the same account twice and issues no second key", async () => {
    // Prepare
    const { deps, apiKeys } = setup();
    await openAccount(deps, OWNER, {});
    // Act / Assess
    await expect(openAccount(deps, OWNER, {})).rejects.toMatchObject({ name: "DomainError", code: "conflict" });
    expect(apiKeys.all()).toHaveLength(1);
  });

  it("validates the key request before creating anything", async () => {
    // Prepare
    const { deps, accounts, apiKeys } = setup();
    // Act / Assess
    await expect(openAccount(deps, OWNER, { key: { spend_limit_tinybars: 5 } })).rejects.toMatchObject({ code: "invalid_request", param: "key.spend_limit_tinybars" });
    expect(await accounts.get(OWNER)).toBeNull();
    expect(apiKeys.all()).toEqual([]);
  });

  it("refuses unknown fields", async () => {
    const { deps } = setup();
    await expect(openAccount(deps, OWNER, { balance: "1000" })).rejects.toMatchObject({ code: "invalid_request", param: "balance" });
  });
});

describe("getAccount", () => {
  it("returns the stored account", async () => {
    const { deps } = setup();
    await openAccount(deps, OWNER, {});
    expect(await getAccount(deps, OWNER)).toEqual({ accountId: OWNER, createdAt: "2030-01-01T00:00:00.000Z", balanceTinybars: 0n });
  });

  it("says not_found for an account never opened", async () => {
    const { deps } = setup();
    await expect(getAccount(deps, "0.0.404")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("createApiKey", () => {
  it("creates a key named 'default' without limits when the body is empty", async () => {
    // Prepare
    const { deps, apiKeys } = setup();
    // Act
    const { secret, record } = await createApiKey(deps, OWNER, undefined);
    // Assess
    expect(record).toEqual({
      keyHash: hashApiKey(secret),
      keyId: "key_id0001",
      ownerId: OWNER,
      name: "default",
      hint: secret.slice(0, 7),
      status: "active",
      createdAt: "2030-01-01T00:00:00.000Z",
    });
    expect(apiKeys.all()).toEqual([record]);
  });

  it("stores the limits given in snake_case", async () => {
    const { deps } = setup();
    const { record } = await createApiKey(deps, OWNER, { name: "ci", rate_limit_per_minute: 1, spend_limit_tinybars: "0" });
    expect(record).toMatchObject({ name: "ci", rateLimitPerMinute: 1, spendLimitTinybars: "0" });
  });

  it.each([
    ["an empty name", { name: "   " }, "name"],
    ["a name over 100 characters", { name: "x".repeat(101) }, "name"],
    ["a rate limit of zero", { rate_limit_per_minute: 0 }, "rate_limit_per_minute"],
    ["a fractional rate limit", { rate_limit_per_minute: 1.5 }, "rate_limit_per_minute"],
    ["a rate limit over 100000", { rate_limit_per_minute: 100_001 }, "rate_limit_per_minute"],
    ["a spend limit as a number", { spend_limit_tinybars: 100 }, "spend_limit_tinybars"],
    ["a negative spend limit", { spend_limit_tinybars: "-1" }, "spend_limit_tinybars"],
    ["a fractional spend limit", { spend_limit_tinybars: "1.5" }, "spend_limit_tinybars"],
    ["a spend limit of 19 digits", { spend_limit_tinybars: "1".repeat(19) }, "spend_limit_tinybars"],
    ["an unknown field", { owner: "0.0.2" }, "owner"],
  ])("refuses %s", async (_, body, param) => {
    const { deps, apiKeys } = setup();
    await expect(createApiKey(deps, OWNER, body)).rejects.toMatchObject({ name: "DomainError", code: "invalid_request", param });
    expect(apiKeys.all()).toEqual([]);
  });

  it(`refuses (409) a key past ${MAX_ACTIVE_KEYS_PER_ACCOUNT} active ones on the account; revoked keys and other accounts' keys do not count`, async () => {
    // Prepare
    const { deps, apiKeys } = setup();
    const first = await createApiKey(deps, OWNER, undefined);
    for (let i = 1; i < MAX_ACTIVE_KEYS_PER_ACCOUNT; i++) await createApiKey(deps, OWNER, { name: `k${i}` });
    await createApiKey(deps, "0.0.2002", undefined);
    // Act / Assess
    await expect(createApiKey(deps, OWNER, undefined)).rejects.toMatchObject({ name: "DomainError", code: "conflict", message: expect.stringContaining(`already has ${MAX_ACTIVE_KEYS_PER_ACCOUNT} active API keys`) });
    expect(apiKeys.all().filter((key) => key.ownerId === OWNER)).toHaveLength(MAX_ACTIVE_KEYS_PER_ACCOUNT);
    await revokeApiKey(deps, OWNER, first.record.keyId);
    await expect(createApiKey(deps, OWNER, undefined)).resolves.toMatchObject({ record: { ownerId: OWNER, status: "active" } });
  });
});

describe("listApiKeys", () => {
  it("lists only the account's own keys, newest first, revoked ones included", async () => {
    // Prepare
    const { deps, clock } = setup();
    const first = await createApiKey(deps, OWNER, { name: "first" });
    clock.advance(1_000);
    const second = await createApiKey(deps, OWNER, { name: "second" });
    await createApiKey(deps, "0.0.2002", { name: "someone else's" });
    await revokeApiKey(deps, OWNER, first.record.keyId);
    // Act
    const keys = await listApiKeys(deps, OWNER);
    // Assess
    expect(keys.map((key) => [key.name, key.status])).toEqual([
      ["second", "active"],
      ["first", "revoked"],
    ]);
    expect(keys[0]).toEqual(second.record);
  });
});

describe("revokeApiKey", () => {
  it("marks the key revoked with the time", async () => {
    // Prepare
    const { deps, apiKeys, clock } = setup();
    const { record } = await createApiKey(deps, OWNER, {});
    clock.advance(60_000);
    // Act
    const revoked = await revokeApiKey(deps, OWNER, record.keyId);
    // Assess
    expect(revoked).toEqual({ ...record, status: "revoked", revokedAt: "2030-01-01T00:01:00.000Z" });
    expect(await apiKeys.findByHash(record.keyHash)).toEqual(revoked);
  });

  it("revoking twice keeps the first revocation time", async () => {
    // Prepare
    const { deps, clock } = setup();
    const { record } = await createApiKey(deps, OWNER, {});
    const first = await revokeApiKey(deps, OWNER, record.keyId);
    clock.advance(60_000);
    // Act
    const second = await revokeApiKey(deps, OWNER, record.keyId);
    // Assess
    expect(second).toEqual(first);
    expect(second.revokedAt).toBe("2030-01-01T00:00:00.000Z");
  });

  it("says not_found for another account's key, and leaves it active", async () => {
    // Prepare
    const { deps, apiKeys } = setup();
    const { record } = await createApiKey(deps, "0.0.2002", {});
    // Act / Assess
    await expect(revokeApiKey(deps, OWNER, record.keyId)).rejects.toMatchObject({ code: "not_found", param: "key_id" });
    expect((await apiKeys.findByHash(record.keyHash))?.status).toBe("active");
  });

  it("says not_found for a key id that does not exist", async () => {
    const { deps } = setup();
    await expect(revokeApiKey(deps, OWNER, "key_missing")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("publicApiKey", () => {
  it("shows a key without its hash, with null for absent limits", () => {
    // Prepare
    const record = anApiKeyRecord({ keyId: "key_1", keyHash: "secret-hash", name: "laptop", hint: "tn_abcd" });
    // Act
    const shown = publicApiKey(record);
    // Assess
    expect(shown).toEqual({
      object: "api_key",
      id: "key_1",
      name: "laptop",
      hint: "tn_abcd",
      status: "active",
      rate_limit_per_minute: null,
      spend_limit_tinybars: null,
      spent_tinybars: "0",
      created_at: "2030-01-01T00:00:00.000Z",
      revoked_at: null,
    });
    expect(JSON.stringify(shown)).not.toContain("secret-hash");
  });

  it("shows limits, the spent total, the revocation, and the secret only when given", () => {
    const record = anApiKeyRecord({ status: "revoked", revokedAt: "2030-01-02T00:00:00.000Z", rateLimitPerMinute: 60, spendLimitTinybars: "1000", spentTinybars: "250" });
    expect(publicApiKey(record, "tn_secret")).toMatchObject({
      status: "revoked",
      rate_limit_per_minute: 60,
      spend_limit_tinybars: "1000",
      spent_tinybars: "250",
      revoked_at: "2030-01-02T00:00:00.000Z",
      secret: "tn_secret",
    });
    expect("secret" in publicApiKey(record)).toBe(false);
  });
});

describe("publicAccount", () => {
  it("shows the balance as a string of tinybars and how to deposit", () => {
    const account = { accountId: OWNER, createdAt: "2030-01-01T00:00:00.000Z", balanceTinybars: 12_345_678_901_234_567n };
    expect(publicAccount(account, { treasuryAccountId: "0.0.98" })).toEqual({
      object: "account",
      id: OWNER,
      hedera_account_id: OWNER,
      balance: "12345678901234567",
      currency: "tinybar",
      created_at: "2030-01-01T00:00:00.000Z",
      deposit: { treasury_account_id: "0.0.98", memo: OWNER },
    });
    expect(publicAccount(account).deposit).toBeNull();
  });
});
