import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, authenticateApiKey, bearerToken, generateApiKeySecret, hashApiKey, issueApiKey, looksLikeApiKey } from "../src/index.js";
import { FixedClock, InMemoryApiKeyStore, SequentialIds } from "../testing/index.js";

async function setup() {
  const apiKeys = new InMemoryApiKeyStore();
  const deps = { apiKeys, clock: new FixedClock("2030-01-01T00:00:00.000Z"), ids: new SequentialIds() };
  const issued = await issueApiKey(deps, { ownerId: "owner_1", name: "laptop" });
  return { apiKeys, ...issued };
}

describe("issueApiKey", () => {
  it("stores the hash of the secret, never the secret", async () => {
    // Prepare / Act
    const { apiKeys, secret, record } = await setup();
    // Assess
    expect(record).toEqual({
      keyHash: hashApiKey(secret),
      keyId: "key_id0001",
      ownerId: "owner_1",
      name: "laptop",
      hint: secret.slice(0, 7),
      status: "active",
      createdAt: "2030-01-01T00:00:00.000Z",
    });
    expect(apiKeys.all()).toEqual([record]);
    expect(JSON.stringify(apiKeys.all())).not.toContain(secret.slice(7));
  });

  it("issues a different, well-formed secret each time", async () => {
    const [a, b] = [await setup(), await setup()];
    expect(a.secret).not.toBe(b.secret);
    expect(looksLikeApiKey(a.secret)).toBe(true);
  });
});

describe("authenticateApiKey", () => {
  it("resolves an active key to its owner", async () => {
    const { apiKeys, secret } = await setup();
    expect(await authenticateApiKey({ apiKeys }, secret)).toMatchObject({ ownerId: "owner_1", keyId: "key_id0001", spentTinybars: 0n });
  });

  it("refuses a revoked key", async () => {
    // Prepare
    const { apiKeys, secret, record } = await setup();
    await apiKeys.save({ ...record, status: "revoked" });
    // Act / Assess
    await expect(authenticateApiKey({ apiKeys }, secret)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it.each([
    ["a missing key", undefined],
    ["an empty key", ""],
    ["a key without the prefix", "A".repeat(46)],
    ["a well-formed unknown key", generateApiKeySecret()],
  ])("refuses %s", async (_, secret) => {
    const { apiKeys } = await setup();
    await expect(authenticateApiKey({ apiKeys }, secret)).rejects.toMatchObject({ name: "DomainError", code: "unauthenticated" });
  });

  it("does not look up junk", async () => {
    const { apiKeys } = await setup();
    let lookups = 0;
    const counting = { save: apiKeys.save.bind(apiKeys), listByOwner: apiKeys.listByOwner.bind(apiKeys), findByHash: async (hash: string) => (lookups++, apiKeys.findByHash(hash)) };
    await expect(authenticateApiKey({ apiKeys: counting }, "tn_has spaces and !!")).rejects.toMatchObject({ code: "unauthenticated" });
    expect(lookups).toBe(0);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer tn_abc", "tn_abc"],
    ["bearer   tn_abc  ", "tn_abc"],
    ["BEARER tn_abc", "tn_abc"],
    ["Basic dXNlcjpwYXNz", undefined],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
  ])("parses %j as %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe("looksLikeApiKey", () => {
  it.each([
    [generateApiKeySecret(), true],
    [`${API_KEY_PREFIX}${"a".repeat(17)}`, true],
    [`${API_KEY_PREFIX}${"a".repeat(16)}`, false],
    [`${API_KEY_PREFIX}${"a".repeat(198)}`, false],
    [`sk_${"a".repeat(43)}`, false],
    [`${API_KEY_PREFIX}${"a".repeat(40)}=`, false],
    [`${API_KEY_PREFIX}${"a".repeat(40)}/+`, false],
  ])("%s → %s", (value, expected) => {
    expect(looksLikeApiKey(value)).toBe(expected);
  });
});
