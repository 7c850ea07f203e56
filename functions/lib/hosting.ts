import { resolve } from "node:path";
import { PrivateKey } from "@hashgraph/sdk";
import { DynamoJobProgressStore, DynamoJobStore, coreMetrics, type TableRef } from "@tensornode/aws";
import { minerProvisionExecutor, minerTeardownExecutor, systemClock, type JobExecutor, type Logger, type MinerDirectory, type MinerHostProvider } from "@tensornode/core";
import { HttpMinerProbe } from "@tensornode/miner-client";
import { manifest } from "../../stacks/manifest.js";

/** The miner image the Fluence provider runs (built from packages/miner/Dockerfile); MINER_IMAGE overrides. */
export const DEFAULT_MINER_IMAGE = "ghcr.io/tensornode/miner:0.1.0";
/** The port the image's miner listens on (the Dockerfile's EXPOSE). */
export const DEFAULT_MINER_PORT = 8080;

/**
 * Miner hosting for the composition root: the `miner.provision` / `miner.teardown` executors (run
 * by the inference consumer) and the provider behind them, chosen by `MINER_HOST_PROVIDER`:
 * `fluence` (default; FLUENCE_API_KEY is the SST secret bound to the inference consumer) or
 * `local` (the embedded runtime: miner processes on 127.0.0.1).
 */
export function hostingExecutors(table: TableRef, deps: { miners: MinerDirectory; logger: Logger; allowPrivateMinerAddresses: boolean }): Array<readonly [string, JobExecutor]> {
  let provider: Promise<MinerHostProvider> | undefined;
  const shared = {
    hosts: () => (provider ??= createHostProvider()),
    miners: deps.miners,
    jobs: new DynamoJobStore(table),
    progress: new DynamoJobProgressStore(table),
    clock: systemClock,
    logger: deps.logger,
    metrics: coreMetrics(),
    maxAttempts: manifest.queues.inference.maxReceiveCount,
  };
  const provision = minerProvisionExecutor({
    ...shared,
    probe: new HttpMinerProbe({ allowPrivateAddresses: deps.allowPrivateMinerAddresses }),
    // Leave the consumer time to record the outcome; a VM still booting is resumed by the next delivery.
    attemptBudgetMs: (manifest.queues.inference.consumerTimeoutSeconds - 40) * 1000,
    pollMs: 2_000,
    probeTimeoutMs: 5_000,
  });
  const teardown = minerTeardownExecutor(shared);
  return [[provision.kind, provision], [teardown.kind, teardown]];
}

export const jobProgressStore = (table: TableRef) => new DynamoJobProgressStore(table);

async function createHostProvider(): Promise<MinerHostProvider> {
  const { Config } = await import("sst/node/config");
  const values: Record<string, string | undefined> = { ...(Config as unknown as Record<string, string>), ...process.env };
  const dispatch = dispatchIdentity(values);
  if (values.MINER_HOST_PROVIDER === "local") {
    const { LocalHostProvider } = await import("../../packages/local/src/local-host-provider.js");
    if (!dispatch) throw new Error("local hosting needs DISPATCHER_ACCOUNT_ID and DISPATCHER_KEY");
    return new LocalHostProvider({ rootDir: resolve(import.meta.dirname, "../.."), dispatch });
  }
  const { FluenceClient, FluenceHostProvider } = await import("../../packages/fluence/src/index.js");
  const apiKey = values.FLUENCE_API_KEY;
  if (!apiKey) throw new Error("Fluence hosting needs the FLUENCE_API_KEY secret");
  return new FluenceHostProvider({
    client: new FluenceClient({ apiKey }),
    image: values.MINER_IMAGE ?? DEFAULT_MINER_IMAGE,
    port: DEFAULT_MINER_PORT,
    sshKeys: (values.FLUENCE_SSH_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean),
    minerEnv: dispatch
      ? { TENSORNODE_DISPATCH_ACCOUNT: dispatch.accountId, TENSORNODE_DISPATCH_PUBLIC_KEY: dispatch.publicKeyHex, TENSORNODE_DISPATCH_KEY_TYPE: dispatch.keyType }
      : {},
  });
}

/** The dispatch account and its public key (hex, raw), derived from the dispatch key the consumer already holds. */
function dispatchIdentity(values: Record<string, string | undefined>) {
  const accountId = values.DISPATCHER_ACCOUNT_ID;
  const key = values.DISPATCHER_KEY;
  if (!accountId || accountId === "0.0.0" || !key) return undefined;
  const privateKey = key.startsWith("30") ? PrivateKey.fromStringDer(key) : PrivateKey.fromString(key);
  const keyType = privateKey.type === "ED25519" ? ("ED25519" as const) : ("ECDSA_SECP256K1" as const);
  return { accountId, publicKeyHex: Buffer.from(privateKey.publicKey.toBytesRaw()).toString("hex"), keyType };
}
