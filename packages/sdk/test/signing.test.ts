import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { MemoryNonceStore, canonicalRequest as coreCanonicalRequest, signRequest as coreSignRequest, verifySignedRequest } from "@tensornode/core";
import { describe, expect, it } from "vitest";
import { TensorNodeError, canonicalRequest, requestSigner } from "../src/index.js";

/** The SDK's standalone signing must stay byte-compatible with the API's verifier in core. */
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const privateKeyDer = privateKey.export({ format: "der", type: "pkcs8" }).toString("hex");
  const raw = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");
  return { privateKeyDer, publicKey: { type: "ED25519" as const, hex: raw } };
}

const verifier = (publicKey: { type: "ED25519"; hex: string }) => ({
  publicKeyOf: async (id: string) => (id === "0.0.1001" ? publicKey : null),
  nonces: new MemoryNonceStore(),
  clock: { now: () => new Date() },
});

describe("SDK request signing", () => {
  it("produces signatures that core's verifySignedRequest accepts", async () => {
    // Prepare
    const { privateKeyDer, publicKey } = keyPair();
    const sign = requestSigner({ accountId: "0.0.1001", privateKeyDer });
    const request = { method: "POST", path: "/v1/accounts?x=1", body: JSON.stringify({ key: { name: "ünïcode" } }) };
    // Act
    const headers = await sign(request);
    // Assess
    await expect(verifySignedRequest(verifier(publicKey), { ...request, headers: (name) => headers[name] })).resolves.toBe("0.0.1001");
  });

  it("is refused when anything signed is altered", async () => {
    const { privateKeyDer, publicKey } = keyPair();
    const headers = await requestSigner({ accountId: "0.0.1001", privateKeyDer })({ method: "POST", path: "/v1/accounts", body: "{}" });
    await expect(verifySignedRequest(verifier(publicKey), { method: "POST", path: "/v1/accounts", body: '{"a":1}', headers: (name) => headers[name] })).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("matches core's canonical text and signature byte for byte", async () => {
    const { privateKeyDer } = keyPair();
    const request = { method: "delete", path: "/v1/miners/me", body: new Uint8Array([1, 2, 3]) };
    expect(Buffer.from(canonicalRequest(request, 1_700_000_000_000, "nonce-123"))).toEqual(Buffer.from(coreCanonicalRequest(request, 1_700_000_000_000, "nonce-123")));
    const options = { timestamp: 1_700_000_000_000, nonce: "nonce-123" };
    // ED25519 is deterministic, so the same key gives the same signature.
    expect(await requestSigner({ accountId: "0.0.7", privateKeyDer })(request, options)).toEqual(coreSignRequest(request, "0.0.7", privateKeyDer, options));
  });

  it("takes a signing function for other key types, and refuses a non-ED25519 DER key clearly", async () => {
    const { privateKeyDer, publicKey } = keyPair();
    const key = createPrivateKey({ key: Buffer.from(privateKeyDer, "hex"), format: "der", type: "pkcs8" });
    const { sign } = await import("node:crypto");
    const headers = await requestSigner({ accountId: "0.0.1001", sign: (message) => sign(null, message, key) })({ method: "GET", path: "/v1/x", body: "" });
    await expect(verifySignedRequest(verifier(publicKey), { method: "GET", path: "/v1/x", body: "", headers: (name) => headers[name] })).resolves.toBe("0.0.1001");

    const ec = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ format: "der", type: "pkcs8" }).toString("hex");
    expect(() => requestSigner({ accountId: "0.0.1", privateKeyDer: ec })).toThrow(TensorNodeError);
    expect(() => requestSigner({ accountId: "0.0.1", privateKeyDer: "zz" })).toThrow(/PKCS#8/);
    expect(createPublicKey(key).asymmetricKeyType).toBe("ed25519");
  });
});
