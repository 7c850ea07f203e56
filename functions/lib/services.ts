import {
  ApiGatewayConnectionPush,
  DynamoAccountStore,
  DynamoApiKeyStore,
  DynamoUsageLedger,
  DynamoRateLimitStore,
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
import {
  ApiKeyAuthenticator,
  RateLimiter,
  RoutingTable,
  SpendingGuard,
  UsageMeter,
  canaryExecutor,
  inferenceExecutors,
  randomIds,
  requestSigner,
  systemClock,
  type InferenceDeps,
  type JobExecutor,
} from "@tensornode/core";
import { HttpMinerProbe, HttpMinerTransport } from "@tensornode/miner-client";
import { manifest } from "../../stacks/manifest.js";
import { HederaLedger, MirrorDepositReader, MirrorKeyDirectory, hederaConfigFrom, mirrorRestUrlFrom } from "@tensornode/hedera";
import { readConfig } from "./config.js";
import { hostingExecutors, jobProgressStore } from "./hosting.js";

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
  const logger = coreLogger();
  const apiKeys = new DynamoApiKeyStore(table);
  const accounts = new DynamoAccountStore(table);
  const usage = new DynamoUsageLedger(table);
  const miners = new DynamoMinerDirectory(table);
  const auth = new ApiKeyAuthenticator({ apiKeys, clock: systemClock });
  /** Routing, dispatch and metering keep state in memory (caches, load, pending charges): one set per container. */
  const inference = lazy(() =>
    buildInference({ usage, accounts, miners, auth, logger, rateLimitPerMinute: config.rateLimitPerMinute, routingCacheMs: config.routingCacheMs, deadlineMs: manifest.defaults.syncDeadlineMs, allowPrivateMinerAddresses: config.allowPrivateMinerEndpoints, rateLimits: new DynamoRateLimitStore(table) }),
  );
  const executors = lazy(
    (): ReadonlyMap<string, JobExecutor> =>
      new Map([
        [canaryExecutor.kind, canaryExecutor],
        ...inferenceExecutors({ ...inference(), deadlineMs: manifest.defaults.jobDeadlineMs, apiKeys }).map((e) => [e.kind, e] as const),
        ...hostingExecutors(table, { miners, logger, allowPrivateMinerAddresses: config.allowPrivateMinerEndpoints }),
      ]),
  );
  return {
    config,
    clock: systemClock,
    ids: randomIds,
    logger,
    metrics: coreMetrics(),
    get executors() {
      return executors();
    },
    /** Miner endpoints on loopback/private addresses are refused unless this is set (local runtime). */
    allowPrivateMinerEndpoints: config.allowPrivateMinerEndpoints,
    /** The DynamoDB document client every store shares (benchmarks count its calls). */
    documents: table.client,
    jobs: new DynamoJobStore(table),
    /** Progress of long jobs (miner hosting), read by the signed hosting routes. */
    progress: jobProgressStore(table),
    apiKeys,
    accounts,
    usage,
    auth,
    inference,
    connections: new DynamoConnectionStore(table),
    epochs: new DynamoEpochStore(table),
    scores: new DynamoScoreStore(table),
    miners,
    probe: new HttpMinerProbe({ allowPrivateAddresses: config.allowPrivateMinerEndpoints }),
    nonces: new DynamoNonceStore(table),
    /** Account keys from the mirror (signed requests); needs only the HEDERA_NETWORK parameter, no operator key. */
    accountKeys: lazyAsync(async () => new MirrorKeyDirectory(mirrorRestUrlFrom(await hederaValues()))),
    /** Deposits to the treasury from the mirror node (no operator key needed). */
    deposits: lazyAsync(async () => new MirrorDepositReader(mirrorRestUrlFrom(await hederaValues()))),
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

function buildInference(deps: {
  usage: DynamoUsageLedger;
  accounts: DynamoAccountStore;
  miners: DynamoMinerDirectory;
  auth: ApiKeyAuthenticator;
  logger: ReturnType<typeof coreLogger>;
  rateLimitPerMinute: number;
  routingCacheMs: number;
  deadlineMs: number;
  /** Only the local runtime, where miners listen on 127.0.0.1. */
  allowPrivateMinerAddresses: boolean;
  rateLimits: DynamoRateLimitStore;
}): InferenceDeps {
  const clock = systemClock;
  let guard: SpendingGuard | undefined;
  const meter = new UsageMeter({
    usage: deps.usage,
    logger: deps.logger,
    // Keep the cached key spend and balance in step with what just landed.
    onCharged: (record) => {
      deps.auth.noteCharged(record.keyHash, record.cost);
      guard?.noteCharged(record.ownerId, record.cost);
    },
  });
  guard = new SpendingGuard({ accounts: deps.accounts, meter, clock });
  return {
    routing: new RoutingTable({ miners: deps.miners, clock }, { ttlMs: deps.routingCacheMs }),
    transport: new HttpMinerTransport({ loadSigner: loadDispatchSigner, allowPrivateAddresses: deps.allowPrivateMinerAddresses }),
    meter,
    guard,
    limiter: new RateLimiter(clock, { store: deps.rateLimits, logger: deps.logger }),
    clock,
    logger: deps.logger,
    defaultRateLimitPerMinute: deps.rateLimitPerMinute,
    deadlineMs: deps.deadlineMs,
  };
}

/** The network's dispatch key (SST secret DISPATCHER_KEY, account parameter DISPATCHER_ACCOUNT_ID). */
async function loadDispatchSigner() {
  const values = await hederaValues();
  const accountId = values.DISPATCHER_ACCOUNT_ID;
  const key = values.DISPATCHER_KEY;
  if (!accountId || !key) {
    getServices().logger.warn("no dispatch key configured (DISPATCHER_ACCOUNT_ID / DISPATCHER_KEY): miners will refuse unsigned work");
    return undefined;
  }
  return requestSigner(accountId, key);
}

/** Where developers deposit HBAR (the treasury; parameter TREASURY_ACCOUNT_ID). */
export const treasuryAccountId = lazyAsync(async (): Promise<string | undefined> => {
  const id = (await hederaValues()).TREASURY_ACCOUNT_ID;
  return id && id !== "0.0.0" ? id : undefined;
});

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

/**
 * Waits for work still running in the background (usage charges) so nothing is lost when the
 * process stops: the local runtime calls it on shutdown, before DynamoDB goes away.
 */
export async function drainBackgroundWork(): Promise<void> {
  if (services) await services.inference().meter.drain();
}

export const getServices = () => (services ??= build());
export type Services = ReturnType<typeof build>;
