import {
  ApiGatewayConnectionPush,
  DynamoApiKeyStore,
  DynamoConnectionStore,
  DynamoEpochStore,
  DynamoJobStore,
  DynamoMinerDirectory,
  DynamoNonceStore,
  DynamoScoreStore,
  SqsJobQueue,
  SqsSettlementQueue,
  coreLogger,
  coreMetrics,
  createDocumentClient,
  createSqsClient,
} from "@tensornode/aws";
import { canaryExecutor, randomIds, systemClock, type JobExecutor } from "@tensornode/core";
import { HttpMinerProbe } from "@tensornode/miner-client";
import { HederaLedger, MirrorKeyDirectory, hederaConfigFrom, mirrorRestUrlFrom } from "@tensornode/hedera";
import { readConfig } from "./config.js";

/**
 * The composition root for every Lambda entry point: builds the adapters once per container
 * (on first use, so importing a handler has no side effects) and hands them to the core.
 * Clients are created lazily: a handler that never touches SQS never builds an SQS client.
 */
function build() {
  const config = readConfig();
  const table = { client: createDocumentClient(), tableName: config.tableName };
  const lazy = <T>(make: () => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  };
  const sqs = lazy(createSqsClient);
  const executors: ReadonlyMap<string, JobExecutor> = new Map([[canaryExecutor.kind, canaryExecutor]]);
  return {
    config,
    clock: systemClock,
    ids: randomIds,
    logger: coreLogger(),
    metrics: coreMetrics(),
    executors,
    jobs: new DynamoJobStore(table),
    apiKeys: new DynamoApiKeyStore(table),
    connections: new DynamoConnectionStore(table),
    epochs: new DynamoEpochStore(table),
    scores: new DynamoScoreStore(table),
    miners: new DynamoMinerDirectory(table),
    probe: new HttpMinerProbe(),
    nonces: new DynamoNonceStore(table),
    /** Account keys from the mirror (signed requests); needs only the HEDERA_NETWORK parameter, no operator key. */
    accountKeys: lazyAsync(async () => new MirrorKeyDirectory(mirrorRestUrlFrom(await hederaValues()))),
    /** The Hedera adapter (operator = treasury), only in functions bound to the Hedera secrets. */
    ledger: lazyAsync(async () => new HederaLedger(hederaConfigFrom(await hederaValues()))),
    inferenceQueue: lazy(() => new SqsJobQueue(sqs(), config.inferenceQueueUrl())),
    settlementQueue: lazy(() => new SqsSettlementQueue(sqs(), config.settlementQueueUrl())),
    /** WebSocket push; route handlers pass the endpoint of the API that invoked them. */
    push: (endpoint = config.wsManagementEndpoint) => {
      if (!endpoint) throw new Error("No WebSocket management endpoint configured");
      return pushers.get(endpoint) ?? pushers.set(endpoint, new ApiGatewayConnectionPush(endpoint)).get(endpoint)!;
    },
  };
}
const pushers = new Map<string, ApiGatewayConnectionPush>();

/**
 * Hedera settings by the names the stacks bind as SST Config (in AWS `sst/node/config` fetches the
 * secrets from SSM at import; locally the runtime sets them directly), overlaid with the environment.
 */
async function hederaValues(): Promise<Record<string, string | undefined>> {
  const { Config } = await import("sst/node/config");
  return { ...(Config as unknown as Record<string, string>), ...process.env };
}

/** Like `lazy`, for async construction: concurrent first callers share one promise. */
function lazyAsync<T>(make: () => Promise<T>) {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

let services: ReturnType<typeof build> | undefined;
export const getServices = () => (services ??= build());
export type Services = ReturnType<typeof build>;
