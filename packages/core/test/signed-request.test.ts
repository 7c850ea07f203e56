import { generateKeyPairSync } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import { describe, expect, it } from "vitest";
import { MAX_SKEW_MS, MemoryNonceStore, SIGNATURE_HEADERS, canonicalRequest, signRequest, verifySignedRequest, type LedgerPublicKey } from "../src/index.js";
import { FixedClock } from "../testing/index.js";

/** A fresh ED25519 account: its PKCS#8 DER private key (Hedera's DER form) and raw public key. */
function ed25519Account() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return {
    der: privateKey.export({ format: "der", type: "pkcs8" }).toString("hex"),
    key: { type: "ED25519", hex: spki.subarray(spki.length - 32).toString("hex") } satisfies LedgerPublicKey,
  };
}

const NOW = new Date("2030-01-01T00:00:00.000Z");
const request = { method: "POST", path: "/v1/miners", body: '{"endpoint":"http://127.0.0.1:4200"}' };

function setup(keys: Record<string, LedgerPublicKey>) {
  return { publicKeyOf: async (id: string) => keys[id] ?? null, nonces: new MemoryNonceStore(() => NOW.getTime()), clock: new FixedClock(NOW.toISOString()) };
}
const withHeaders = (headers: Record<string, string>, overrides: Partial<typeof request> = {}) => ({ ...request, ...overrides, headers: (name: string) => headers[name] });

describe("signed requests", () => {
  it("accepts a request signed with the account's ED25519 key, once", async () => {
    // Prepare
    const account = ed25519Account();
    const deps = setup({ "0.0.1001": account.key });
    const headers = signRequest(request, "0.0.1001", account.der, { timestamp: NOW.getTime() });
    // Act + Assess
    expect(await verifySignedRequest(deps, withHeaders(headers))).toBe("0.0.1001");
    await expect(verifySignedRequest(deps, withHeaders(headers))).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/Replayed/) });
  });

  it("accepts ECDSA secp256k1 signatures over keccak256, as Hedera signs", async () => {
    const secret = secp256k1.utils.randomPrivateKey();
    const key: LedgerPublicKey = { type: "ECDSA_SECP256K1", hex: Buffer.from(secp256k1.getPublicKey(secret, true)).toString("hex") };
    const deps = setup({ "0.0.1002": key });
    const message = canonicalRequest(request, NOW.getTime(), "nonce-ecdsa-1");
    const signature = secp256k1.sign(keccak_256(message), secret).toCompactRawBytes();
    const headers = { [SIGNATURE_HEADERS.account]: "0.0.1002", [SIGNATURE_HEADERS.timestamp]: String(NOW.getTime()), [SIGNATURE_HEADERS.nonce]: "nonce-ecdsa-1", [SIGNATURE_HEADERS.signature]: Buffer.from(signature).toString("hex") };
    expect(await verifySignedRequest(deps, withHeaders(headers))).toBe("0.0.1002");
  });

  it.each([
    ["a changed body", { body: '{"endpoint":"http://evil"}' }],
    ["a changed path", { path: "/v1/miners/other" }],
    ["a changed method", { method: "DELETE" }],
  ])("refuses %s", async (_, change) => {
    const account = ed25519Account();
    const headers = signRequest(request, "0.0.1001", account.der, { timestamp: NOW.getTime() });
    await expect(verifySignedRequest(setup({ "0.0.1001": account.key }), withHeaders(headers, change))).rejects.toMatchObject({ message: expect.stringMatching(/does not verify/) });
  });

  it("refuses another account's key, an unknown account, stale or future timestamps, and missing headers", async () => {
    const account = ed25519Account();
    const other = ed25519Account();
    const sign = (timestamp = NOW.getTime()) => signRequest(request, "0.0.1001", other.der, { timestamp });
    await expect(verifySignedRequest(setup({ "0.0.1001": account.key }), withHeaders(sign()))).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(verifySignedRequest(setup({}), withHeaders(sign()))).rejects.toMatchObject({ code: "unauthenticated" });
    const own = (timestamp: number) => signRequest(request, "0.0.1001", account.der, { timestamp });
    for (const skew of [-MAX_SKEW_MS - 1, MAX_SKEW_MS + 1]) {
      await expect(verifySignedRequest(setup({ "0.0.1001": account.key }), withHeaders(own(NOW.getTime() + skew)))).rejects.toMatchObject({ message: expect.stringMatching(/timestamp/) });
    }
    await expect(verifySignedRequest(setup({ "0.0.1001": account.key }), withHeaders({}))).rejects.toMatchObject({ message: expect.stringMatching(/Signed request required/) });
  });

  it("does not let a forged request burn the nonce of a genuine one", async () => {
    const account = ed25519Account();
    const deps = setup({ "0.0.1001": account.key });
    const genuine = signRequest(request, "0.0.1001", account.der, { timestamp: NOW.getTime(), nonce: "shared-nonce-1" });
    const forged = { ...genuine, [SIGNATURE_HEADERS.signature]: "00".repeat(64) };
    await expect(verifySignedRequest(deps, withHeaders(forged))).rejects.toBeDefined();
    expect(await verifySignedRequest(deps, withHeaders(genuine))).toBe("0.0.1001");
  });
});
