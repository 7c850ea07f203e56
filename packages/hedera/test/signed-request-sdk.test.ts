import { PrivateKey } from "@hashgraph/sdk";
import { canonicalRequest, signRequest, verifyKeySignature, type LedgerPublicKey } from "@tensornode/core";
import { describe, expect, it } from "vitest";

/** The request-signing scheme works with keys and signatures made by the Hedera SDK itself. */
describe("signed requests with @hashgraph/sdk keys", () => {
  const message = canonicalRequest({ method: "POST", path: "/v1/miners", body: "{}" }, 1_900_000_000_000, "nonce-sdk-1");
  const publicKey = (key: PrivateKey): LedgerPublicKey => ({ type: key.type === "ED25519" ? "ED25519" : "ECDSA_SECP256K1", hex: Buffer.from(key.publicKey.toBytesRaw()).toString("hex") });

  it.each([["ED25519", PrivateKey.generateED25519()], ["ECDSA", PrivateKey.generateECDSA()]])("verifies a %s signature made by PrivateKey.sign", (_, key) => {
    expect(verifyKeySignature(publicKey(key), message, key.sign(message))).toBe(true);
    expect(verifyKeySignature(publicKey(key), new TextEncoder().encode("other"), key.sign(message))).toBe(false);
  });

  it("signs with a key exported by the SDK (toStringDer) and the SDK's public key verifies it", () => {
    const key = PrivateKey.generateED25519();
    const headers = signRequest({ method: "GET", path: "/x", body: "" }, "0.0.1001", key.toStringDer(), { timestamp: 1_900_000_000_000, nonce: "nonce-sdk-2" });
    const signed = canonicalRequest({ method: "GET", path: "/x", body: "" }, 1_900_000_000_000, "nonce-sdk-2");
    expect(key.publicKey.verify(signed, Buffer.from(headers["x-tensornode-signature"]!, "hex"))).toBe(true);
  });
});
