import { createHash, createPrivateKey, randomBytes, sign as nodeSign, type KeyObject } from "node:crypto";
import { TensorNodeError } from "./errors.js";

/**
 * Hedera-signed requests, as the API verifies them. The signature covers a canonical text of the
 * request, so nothing in it can be altered in transit:
 *
 *     TN1 \n METHOD \n /path?query \n timestamp-ms \n nonce \n sha256-hex(body)
 *
 * sent in the four headers below. The server refuses timestamps more than 60 s off and reused
 * nonces. This is a standalone copy of the protocol (the SDK depends on nothing in this repo);
 * a test checks that its signatures verify with the API's own verifier.
 */
export const SIGNATURE_HEADERS = {
  account: "x-tensornode-account",
  timestamp: "x-tensornode-timestamp",
  nonce: "x-tensornode-nonce",
  signature: "x-tensornode-signature",
} as const;

export interface SignableRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/accounts`. */
  path: string;
  body: Uint8Array | string;
}

/**
 * Who signs: a Hedera account with its ED25519 private key as PKCS#8 DER hex (the Hedera SDK's
 * `PrivateKey.toStringDer()`), or any signing function (for ECDSA keys, sign the message with the
 * Hedera SDK: `sign: (message) => privateKey.sign(message)`).
 */
export type Signer = { accountId: string; privateKeyDer: string } | { accountId: string; sign(message: Uint8Array): Uint8Array | Promise<Uint8Array> };

export function canonicalRequest(request: SignableRequest, timestamp: number, nonce: string): Uint8Array {
  const bodyHash = createHash("sha256").update(request.body).digest("hex");
  return new TextEncoder().encode(["TN1", request.method.toUpperCase(), request.path, String(timestamp), nonce, bodyHash].join("\n"));
}

export type RequestSigner = (request: SignableRequest, options?: { timestamp?: number; nonce?: string }) => Promise<Record<string, string>>;

function ed25519Key(privateKeyDer: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(privateKeyDer, "hex"), format: "der", type: "pkcs8" });
  } catch (cause) {
    throw new TensorNodeError("signer.privateKeyDer is not a PKCS#8 DER private key in hex.", { code: "invalid_signer", cause });
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new TensorNodeError(`signer.privateKeyDer is a ${key.asymmetricKeyType ?? "unknown"} key; only ED25519 keys sign here. For ECDSA keys pass signer.sign.`, { code: "invalid_signer" });
  }
  return key;
}

/** Parses the key once and returns a function producing the four signature headers for a request. */
export function requestSigner(signer: Signer): RequestSigner {
  const sign = "privateKeyDer" in signer ? ((key) => (message: Uint8Array) => new Uint8Array(nodeSign(null, message, key)))(ed25519Key(signer.privateKeyDer)) : signer.sign.bind(signer);
  return async (request, options = {}) => {
    const timestamp = options.timestamp ?? Date.now();
    const nonce = options.nonce ?? randomBytes(18).toString("base64url");
    const signature = await sign(canonicalRequest(request, timestamp, nonce));
    return {
      [SIGNATURE_HEADERS.account]: signer.accountId,
      [SIGNATURE_HEADERS.timestamp]: String(timestamp),
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.signature]: Buffer.from(signature).toString("hex"),
    };
  };
}
