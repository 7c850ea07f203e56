import { AccountId, Client, PrivateKey } from "@hashgraph/sdk";

/**
 * How to reach Hedera. The same code talks to the embedded local ledger, testnet or mainnet;
 * only this configuration changes (in AWS it comes from SST Config secrets and parameters).
 */
export interface HederaConfig {
  network: "local" | "testnet" | "mainnet";
  /** Local only: consensus node `host:port` and its account id. */
  consensusNode?: { address: string; accountId: string };
  /** Local only: mirror gRPC `host:port` (topic subscriptions). */
  mirrorGrpc?: string;
  /** Mirror node REST base, e.g. `https://testnet.mirrornode.hedera.com` (no `/api/v1`). */
  mirrorRestUrl: string;
  operatorId: string;
  /** DER- or hex-encoded private key (ED25519 or ECDSA secp256k1). */
  operatorKey: string;
  /** Explicit limits: the SDK's defaults retry for minutes. */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  grpcDeadlineMs?: number;
}

export const MIRROR_REST = {
  testnet: "https://testnet.mirrornode.hedera.com",
  mainnet: "https://mainnet-public.mirrornode.hedera.com",
} as const;

export function parsePrivateKey(text: string): PrivateKey {
  const trimmed = text.trim().replace(/^0x/, "");
  try {
    return PrivateKey.fromStringDer(trimmed);
  } catch {
    return PrivateKey.fromStringED25519(trimmed);
  }
}

/** Builds a configured SDK client; the caller closes it. */
export function createClient(config: HederaConfig): Client {
  let client: Client;
  if (config.network === "local") {
    if (!config.consensusNode) throw new Error("HederaConfig: 'consensusNode' is required for the local network");
    client = Client.forNetwork({ [config.consensusNode.address]: config.consensusNode.accountId }, { scheduleNetworkUpdate: false });
    client.setMirrorNetwork([config.mirrorGrpc ?? config.consensusNode.address]);
  } else {
    client = config.network === "mainnet" ? Client.forMainnet({ scheduleNetworkUpdate: false }) : Client.forTestnet({ scheduleNetworkUpdate: false });
  }
  client.setOperator(AccountId.fromString(config.operatorId), parsePrivateKey(config.operatorKey));
  client.setMaxAttempts(config.maxAttempts ?? 5);
  // Deadline first: the SDK warns when the request timeout is not above the current deadline.
  client.setGrpcDeadline(config.grpcDeadlineMs ?? 10_000);
  client.setRequestTimeout(config.requestTimeoutMs ?? 30_000);
  return client;
}

/**
 * Builds the configuration from named values: in AWS, SST's `Config` (secrets HEDERA_OPERATOR_ID and
 * HEDERA_OPERATOR_KEY, parameter HEDERA_NETWORK); locally, the same names from the local runtime,
 * plus where the embedded ledger listens. Throws a readable error for anything missing.
 */
export function hederaConfigFrom(values: Record<string, string | undefined>): HederaConfig {
  const need = (name: string) => {
    const value = values[name];
    if (!value) throw new Error(`Hedera configuration: ${name} is not set`);
    return value;
  };
  const network = need("HEDERA_NETWORK");
  if (network !== "local" && network !== "testnet" && network !== "mainnet") throw new Error(`Hedera configuration: HEDERA_NETWORK must be local, testnet or mainnet, got '${network}'`);
  const base = { network, operatorId: need("HEDERA_OPERATOR_ID"), operatorKey: need("HEDERA_OPERATOR_KEY") } as const;
  if (network !== "local") return { ...base, mirrorRestUrl: values.HEDERA_MIRROR_REST ?? MIRROR_REST[network] };
  // HEDERA_LOCAL_NODE = "127.0.0.1:50211=0.0.3"
  const [address, accountId] = need("HEDERA_LOCAL_NODE").split("=");
  if (!address || !accountId) throw new Error("Hedera configuration: HEDERA_LOCAL_NODE must look like 127.0.0.1:50211=0.0.3");
  return {
    ...base,
    consensusNode: { address, accountId },
    ...(values.HEDERA_LOCAL_MIRROR_GRPC ? { mirrorGrpc: values.HEDERA_LOCAL_MIRROR_GRPC } : {}),
    mirrorRestUrl: need("HEDERA_MIRROR_REST"),
    maxAttempts: 3,
    requestTimeoutMs: 10_000,
    grpcDeadlineMs: 2_000,
  };
}
