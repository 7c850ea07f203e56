import { describe, expect, it } from "vitest";
import { hederaConfigFrom, MIRROR_REST, toMirrorTransactionId } from "../src/index.js";

describe("hederaConfigFrom", () => {
  const secrets = { HEDERA_OPERATOR_ID: "0.0.1001", HEDERA_OPERATOR_KEY: "302e0201..." };

  it("builds testnet and mainnet configs with the public mirror by default", () => {
    expect(hederaConfigFrom({ ...secrets, HEDERA_NETWORK: "testnet" })).toEqual({ network: "testnet", operatorId: "0.0.1001", operatorKey: "302e0201...", mirrorRestUrl: MIRROR_REST.testnet });
    expect(hederaConfigFrom({ ...secrets, HEDERA_NETWORK: "mainnet", HEDERA_MIRROR_REST: "https://mirror.example" }).mirrorRestUrl).toBe("https://mirror.example");
  });

  it("builds a local config with the embedded ledger's addresses and explicit limits", () => {
    const config = hederaConfigFrom({ ...secrets, HEDERA_NETWORK: "local", HEDERA_LOCAL_NODE: "127.0.0.1:50211=0.0.3", HEDERA_MIRROR_REST: "http://127.0.0.1:5551" });
    expect(config).toMatchObject({ network: "local", consensusNode: { address: "127.0.0.1:50211", accountId: "0.0.3" }, maxAttempts: 3, requestTimeoutMs: 10_000 });
  });

  it.each([
    [{ HEDERA_NETWORK: "testnet", HEDERA_OPERATOR_ID: "0.0.1" }, /HEDERA_OPERATOR_KEY is not set/],
    [{ ...secrets }, /HEDERA_NETWORK is not set/],
    [{ ...secrets, HEDERA_NETWORK: "devnet" }, /must be local, testnet or mainnet/],
    [{ ...secrets, HEDERA_NETWORK: "local", HEDERA_MIRROR_REST: "x", HEDERA_LOCAL_NODE: "nonsense" }, /HEDERA_LOCAL_NODE must look like/],
  ])("explains what is missing or wrong (%#)", (values, message) => {
    expect(() => hederaConfigFrom(values)).toThrow(message);
  });
});

describe("toMirrorTransactionId", () => {
  it("converts the SDK's form to the mirror's", () => {
    expect(toMirrorTransactionId("0.0.2@1700000000.000000042")).toBe("0.0.2-1700000000-000000042");
    expect(toMirrorTransactionId("0.0.2-1700000000-000000042")).toBe("0.0.2-1700000000-000000042");
  });
});
