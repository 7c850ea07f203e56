import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { proto } from "@hashgraph/proto";

/**
 * The genesis account's ED25519 key for a standalone ledger: loaded from `file`, or generated and
 * saved there (mode 600). Stored as PKCS#8 DER hex, the form `PrivateKey.fromStringDer` reads.
 */
export function loadOrCreateGenesisKey(file: string): { privateKeyDer: string; publicKey: proto.IKey } {
  let privateKeyDer: string;
  if (existsSync(file)) {
    privateKeyDer = (JSON.parse(readFileSync(file, "utf8")) as { privateKey: string }).privateKey;
  } else {
    const { privateKey } = generateKeyPairSync("ed25519");
    privateKeyDer = privateKey.export({ format: "der", type: "pkcs8" }).toString("hex");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ accountId: "0.0.2", privateKey: privateKeyDer }, null, 2)}\n`, { mode: 0o600 });
  }
  return { privateKeyDer, publicKey: ed25519PublicKeyOf(privateKeyDer) };
}

/** The protobuf `Key` of an ED25519 private key given as PKCS#8 DER hex. */
export function ed25519PublicKeyOf(privateKeyDer: string): proto.IKey {
  const spki = createPublicKey(createPrivateKey({ key: Buffer.from(privateKeyDer, "hex"), format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
  return { ed25519: spki.subarray(spki.length - 32) };
}
