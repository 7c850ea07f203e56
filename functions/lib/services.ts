import {
  ApiGatewayConnectionPush,
  DynamoApiKeyStore,
  DynamoConnectionStore,
  DynamoEpochStore,
  DynamoJobStore,
  DynamoMinerDirectory,
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

let services: ReturnType<typeof build> | undefined;
export const getServices = () => (services ??= build());
export type Services = ReturnType<typeof build>;
