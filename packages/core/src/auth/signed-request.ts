import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import { DomainError } from "../shared/errors.js";
import type { Clock } from "../ports/clock.js";
import type { LedgerPublicKey } from "../ports/ledger.js";

/**
 * Calls made by miners, validators and the network's dispatcher are signed with Hedera keys.
 *
 * The signature covers a canonical text of the request, so nothing in it can be altered:
 *
 *     TN1 \n METHOD \n /path?query \n timestamp-ms \n nonce \n sha256-hex(body)
 *
 * sent with the headers below. The receiver checks that the timestamp is within `MAX_SKEW_MS` of its
 * clock, that the nonce was never seen from that account (replays are refused), and that the
 * signature verifies with the account's key (ED25519, or ECDSA secp256k1 over keccak256 as Hedera
 * signs). Nonces need remembering only for the skew window, after which the timestamp refuses them.
 */
export const SIGNATURE_HEADERS = {
  account: "x-tensornode-account",
  timestamp: "x-tensornode-timestamp",
  nonce: "x-tensornode-nonce",
  signature: "x-tensornode-signature",
} as const;

export const MAX_SKEW_MS = 60_000;

export interface SignableRequest {
  method: string;
  /** Path and query as sent, e.g. `/v1/miners?x=1`. */
  path: string;
  body: Uint8Array | string;
}

export function canonicalRequest(request: SignableRequest, timestamp: number, nonce: string): Uint8Array {
  const bodyHash = createHash("sha256").update(request.body).digest("hex");
  return new TextEncoder().encode(["TN1", request.method.toUpperCase(), request.path, String(timestamp), nonce, bodyHash].join("\n"));
}

/** Remembers nonces per account; `remember` returns false if the nonce was already used. */
export interface NonceStore {
  remember(accountId: string, nonce: string, expiresAt: Date): Promise<boolean>;
}

export function verifyKeySignature(key: LedgerPublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const raw = Buffer.from(key.hex, "hex");
    if (key.type === "ED25519") {
      if (raw.length !== 32 || signature.length !== 64) return false;
      const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]);
      return nodeVerify(null, message, createPublicKey({ key: spki, format: "der", type: "spki" }), signature);
    }
    if (raw.length !== 33 || signature.length !== 64) return false;
    return secp256k1.verify(signature, keccak_256(message), raw, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}

/**
 * Verifies a signed request and returns the signing account. Any failure is `unauthenticated`,
 * with a message that says which check failed (never which part of a signature was wrong).
 */
export async function verifySignedRequest(
  deps: { publicKeyOf(accountId: string): Promise<LedgerPublicKey | null>; nonces: NonceStore; clock: Clock },
  request: SignableRequest & { headers: (name: string) => string | undefined | null },
): Promise<string> {
  const accountId = request.headers(SIGNATURE_HEADERS.account);
  const timestampText = request.headers(SIGNATURE_HEADERS.timestamp);
  const nonce = request.headers(SIGNATURE_HEADERS.nonce);
  const signatureHex = request.headers(SIGNATURE_HEADERS.signature);
  if (!accountId || !timestampText || !nonce || !signatureHex) {
    throw new DomainError("unauthenticated", `Signed request required: send ${Object.values(SIGNATURE_HEADERS).join(", ")}.`);
  }
  if (!/^\d+\.\d+\.\d+$/.test(accountId)) throw new DomainError("unauthenticated", "Invalid signing account id.");
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(nonce)) throw new DomainError("unauthenticated", "Invalid nonce: 8-128 characters of [A-Za-z0-9_-].");
  if (!/^[0-9a-f]{128}$/i.test(signatureHex)) throw new DomainError("unauthenticated", "Invalid signature encoding: 64 bytes as hex.");
  const timestamp = Number(timestampText);
  const now = deps.clock.now().getTime();
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > MAX_SKEW_MS) throw new DomainError("unauthenticated", "Request timestamp is missing or more than 60 s off.");
  const key = await deps.publicKeyOf(accountId);
  if (!key || !verifyKeySignature(key, canonicalRequest(request, timestamp, nonce), Buffer.from(signatureHex, "hex"))) {
    throw new DomainError("unauthenticated", "Signature does not verify with the account's key.");
  }
  // Last, so a forged request cannot burn a legitimate nonce.
  if (!(await deps.nonces.remember(accountId, nonce, new Date(timestamp + MAX_SKEW_MS)))) throw new DomainError("unauthenticated", "Replayed request (nonce already used).");
  return accountId;
}

/** Signs requests for one account; the key is parsed once (the dispatcher signs every request it sends). */
export type RequestSigner = (request: SignableRequest, options?: { timestamp?: number; nonce?: string }) => Record<string, string>;

/**
 * A signer for an ED25519 key given as PKCS#8 DER hex (what the Hedera SDK's
 * `PrivateKey.toStringDer()` gives). Other key types sign `canonicalRequest(...)` with the SDK.
 */
export function requestSigner(accountId: string, privateKeyDer: string): RequestSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyDer, "hex"), format: "der", type: "pkcs8" });
  // Nonces must be unique, not secret: a random per-signer prefix and a counter are, and cost
  // nothing per request (the dispatcher signs every request it sends).
  const prefix = randomBytes(12).toString("base64url");
  let counter = 0;
  return (request, options = {}) => {
    const timestamp = options.timestamp ?? Date.now();
    const nonce = options.nonce ?? `${prefix}${(counter++).toString(36)}`;
    const signature = nodeSign(null, canonicalRequest(request, timestamp, nonce), key);
    return {
      [SIGNATURE_HEADERS.account]: accountId,
      [SIGNATURE_HEADERS.timestamp]: String(timestamp),
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.signature]: Buffer.from(signature).toString("hex"),
    };
  };
}

/** Signs one request (parses the key each time; use `requestSigner` for many). */
export function signRequest(request: SignableRequest, accountId: string, privateKeyDer: string, options: { timestamp?: number; nonce?: string } = {}): Record<string, string> {
  return requestSigner(accountId, privateKeyDer)(request, options);
}
