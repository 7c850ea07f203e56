import { createHash, createPublicKey, verify } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import type { proto } from "@hashgraph/proto";

/**
 * Keys and signatures as Hedera defines them. A transaction's signature map is verified once into
 * the set of primitive public keys that really signed its body bytes; a key structure (a single key,
 * a KeyList that needs all of its keys, a ThresholdKey that needs `threshold` of them) is then
 * satisfied or not by that set. Scheduled transactions accumulate the set across ScheduleSign calls.
 */

/** Hex of a primitive key, prefixed by its type so ED25519 and ECDSA keys never collide. */
export type SignerId = string;
export type Signers = ReadonlySet<SignerId>;

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export const ed25519Signer = (raw: Uint8Array): SignerId => `ed25519:${Buffer.from(raw).toString("hex")}`;
export const ecdsaSigner = (compressed: Uint8Array): SignerId => `ecdsa:${Buffer.from(compressed).toString("hex")}`;

function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

function verifyEcdsaSecp256k1(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 33 || signature.length !== 64) return false;
  try {
    // Hedera signs keccak256(bodyBytes) with r‖s; the hash is passed pre-computed.
    return secp256k1.verify(signature, keccak_256(message), publicKey, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}

/**
 * Verifies every signature pair against `bodyBytes` and returns the signers whose signature holds.
 * A pair counts only when its prefix is the whole public key (as the SDK sends it): a partial
 * prefix cannot be checked without knowing the key, so it proves nothing.
 */
export function verifiedSigners(sigMap: proto.ISignatureMap | null | undefined, bodyBytes: Uint8Array): Set<SignerId> {
  const signers = new Set<SignerId>();
  for (const pair of sigMap?.sigPair ?? []) {
    const prefix = pair.pubKeyPrefix ?? new Uint8Array();
    if (pair.ed25519 && verifyEd25519(prefix, bodyBytes, pair.ed25519)) signers.add(ed25519Signer(prefix));
    else if (pair.ECDSASecp256k1 && verifyEcdsaSecp256k1(prefix, bodyBytes, pair.ECDSASecp256k1)) signers.add(ecdsaSigner(prefix));
  }
  return signers;
}

/** Does this set of signers satisfy the key? Unsupported key types (contract ids, RSA) never are. */
export function isSatisfied(key: proto.IKey | null | undefined, signers: Signers): boolean {
  if (!key) return false;
  if (key.ed25519?.length) return signers.has(ed25519Signer(key.ed25519));
  if (key.ECDSASecp256k1?.length) return signers.has(ecdsaSigner(key.ECDSASecp256k1));
  if (key.keyList) {
    const keys = key.keyList.keys ?? [];
    return keys.length > 0 && keys.every((k) => isSatisfied(k, signers));
  }
  if (key.thresholdKey) {
    const keys = key.thresholdKey.keys?.keys ?? [];
    const threshold = key.thresholdKey.threshold ?? 0;
    return threshold > 0 && keys.filter((k) => isSatisfied(k, signers)).length >= threshold;
  }
  return false;
}

/** Structural validity of a key given to CryptoCreate, TokenCreate, ... (`BAD_ENCODING`/`INVALID_ADMIN_KEY` otherwise). */
export function isValidKey(key: proto.IKey | null | undefined, depth = 0): boolean {
  if (!key || depth > 15) return false;
  if (key.ed25519) return key.ed25519.length === 32;
  if (key.ECDSASecp256k1) return key.ECDSASecp256k1.length === 33;
  if (key.keyList) return (key.keyList.keys ?? []).length > 0 && (key.keyList.keys ?? []).every((k) => isValidKey(k, depth + 1));
  if (key.thresholdKey) {
    const keys = key.thresholdKey.keys?.keys ?? [];
    const threshold = key.thresholdKey.threshold ?? 0;
    return threshold >= 1 && threshold <= keys.length && keys.every((k) => isValidKey(k, depth + 1));
  }
  return false;
}

/** Mirror REST's `{_type, key}` for a key: primitive keys as hex, structures as their protobuf bytes. */
export function mirrorKey(key: proto.IKey | null | undefined, encode: (key: proto.IKey) => Uint8Array): { _type: string; key: string } | null {
  if (!key) return null;
  if (key.ed25519) return { _type: "ED25519", key: Buffer.from(key.ed25519).toString("hex") };
  if (key.ECDSASecp256k1) return { _type: "ECDSA_SECP256K1", key: Buffer.from(key.ECDSASecp256k1).toString("hex") };
  return { _type: "ProtobufEncoded", key: Buffer.from(encode(key)).toString("hex") };
}

export const sha384 = (data: Uint8Array) => createHash("sha384").update(data).digest();
