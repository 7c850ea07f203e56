import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Manifest } from "../../../stacks/manifest.js";
import { ensureTable, startDynamoDbLocal } from "./dynamodb-local.js";
import { startEventSourceMapping } from "./event-source-mapping.js";
import { startHttpGateway, startWebSocketGateway } from "./gateway/index.js";
import { LambdaRuntime } from "./lambda-runtime.js";
import { startFunctionUrl } from "./function-url.js";
import { jsonLog, type LocalLog } from "./log.js";
import { requireJava, reservePort } from "./prerequisites.js";
import { startScheduler } from "./scheduler.js";
import { startLocalSqs, type LocalQueue } from "./sqs-server.js";
import { startDashboardServer } from "./dashboard-server.js";
import { demoBalance, ensureDemoApiKey } from "./demo-account.js";
import { DEMO_DEPOSIT_TINYBARS, depositToTreasury } from "./demo-deposit.js";
import { startLocalHedera } from "./hedera-network.js";
import { startLocalMiners } from "./local-miners.js";
import { stopAllLocalHosts } from "./local-host-provider.js";

export interface LocalNetworkOptions {
  /** Repository root: handler strings and `web/` resolve against it. */
  rootDir: string;
  manifest: Manifest;
  /** Fixed ports for `npm start`; 0 (the default) picks free ones, for tests. */
  ports?: Partial<Record<"api" | "websocket" | "dashboard" | "dynamodb" | "sqs" | "hedera" | "hederaMirror" | "hederaRest" | "stream", number>>;
  /** Where DynamoDB and the Hedera ledger keep their data between runs; omit for in-memory state. */
  dataDir?: string;
  /** Shorter visibility timeouts make retries and DLQ redrives observable in tests. */
  visibilityTimeoutSeconds?: number;
  epochSeconds?: number;
  maxBodyBytes?: number;
  /** How many reference miners to run and register (default 0; `npm start` runs 3). */
  miners?: number;
  /** Ports for the miners (default: free ports). */
  minerPorts?: number[];
  /** Start the cron schedules (off in tests, which fire crons explicitly). */
  schedules?: boolean;
  stage?: string;
  /**
   * Where the demo account's API key is kept between runs. The network makes sure the key works
   * (issuing a new one if needed) and shows it on the local dashboard.
   */
  demoStateFile: string;
  log?: LocalLog;
}

export type LocalNetwork = Awaited<ReturnType<typeof startLocalNetwork>>;

/**
 * A fixed port is checked up front, so a busy one gets a one-line explanation. Port 0 is left to
 * each server to bind itself: picking a free port in advance would race other processes for it.
 */
const checked = async (port: number | undefined, what: string): Promise<number> => (port ? reservePort(port, what) : 0);


/**
 * Boots the whole backend on 127.0.0.1: DynamoDB Local, an SQS server, the API Gateway HTTP and
 * WebSocket emulators, SQS event source mappings, the cron scheduler and the dashboard, all driving
 * the real `functions/` handlers in this process. Handlers are configured exactly as in AWS, through
 * the environment variables the stacks set (plus the SDK's standard endpoint variables).
 */
export async function startLocalNetwork(options: LocalNetworkOptions) {
  const log = options.log ?? jsonLog;
  const { manifest } = options;
  const stage = options.stage ?? "local";
  // The SDK's notice that its releases after January 2027 need Node 22: known, the SDK is pinned.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await Promise.resolve(closeOne()).catch((error) => log("local", "shutdown step failed", { error: String(error) }));
  };

  try {
    requireJava();
    const ports = {
      dynamodb: await checked(options.ports?.dynamodb, "DynamoDB Local"),
      sqs: await checked(options.ports?.sqs, "SQS"),
      api: await checked(options.ports?.api, "HTTP API"),
      websocket: await checked(options.ports?.websocket, "WebSocket API"),
      dashboard: await checked(options.ports?.dashboard, "dashboard"),
      hedera: await checked(options.ports?.hedera, "Hedera consensus gRPC"),
      hederaMirror: await checked(options.ports?.hederaMirror, "Hedera mirror gRPC"),
      hederaRest: await checked(options.ports?.hederaRest, "Hedera mirror REST"),
      stream: await checked(options.ports?.stream, "streaming API (Function URL)"),
    };

    const [dynamo, sqs, hedera] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb, ...(options.dataDir ? { dataDir: join(options.dataDir, "dynamodb") } : {}), log }),
      startLocalSqs({ port: ports.sqs, prefix: `${stage}-tensornode`, queues: manifest.queues, ...(options.visibilityTimeoutSeconds ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}), log }),
      startLocalHedera({ ...(options.dataDir ? { stateDir: options.dataDir } : {}), ports: { consensus: ports.hedera, mirror: ports.hederaMirror, rest: ports.hederaRest }, log }),
    ]);
    closers.push(dynamo.close, sqs.close, hedera.close);
    closers.push(stopAllLocalHosts);
    const tableName = `${stage}-tensornode`;
    await ensureTable(dynamo.endpoint, tableName);

    const runtime = new LambdaRuntime(options.rootDir, log);
    const websocket = await startWebSocketGateway({
      port: ports.websocket,
      stage,
      routes: Object.fromEntries(Object.entries(manifest.websocket.routes).map(([route, ref]) => [route, runtime.invoker(ref, manifest.websocket.timeoutSeconds)])),
      log: (line: Record<string, unknown>) => log("websocket", "message", line),
    });
    closers.push(websocket.close);

    // The same variables the stacks give the functions in AWS.
    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      [manifest.env.tableName]: tableName,
      [manifest.env.wsManagementEndpoint]: websocket.managementEndpoint,
      [manifest.env.epochSeconds]: String(options.epochSeconds ?? manifest.defaults.epochSeconds),
      [manifest.env.maxBodyBytes]: String(options.maxBodyBytes ?? manifest.defaults.maxBodyBytes),
      // Every local miner listens on 127.0.0.1.
      [manifest.env.allowPrivateMinerEndpoints]: "true",
      // Hedera, named as the SST Config secrets/parameter the stacks bind in AWS (sst/node/config
      // reads SST_Secret_value_* directly when it holds a value), plus where the local ledger listens.
      SST_APP: "tensornode",
      SST_STAGE: stage,
      SST_Parameter_value_HEDERA_NETWORK: "local",
      SST_Secret_value_HEDERA_OPERATOR_ID: hedera.config.operatorId,
      SST_Secret_value_HEDERA_OPERATOR_KEY: hedera.config.operatorKey,
      SST_Parameter_value_TREASURY_ACCOUNT_ID: hedera.config.operatorId,
      // Miners asking for a host (POST /v1/miners/hosts) get a miner process on 127.0.0.1.
      MINER_HOST_PROVIDER: "local",
      SST_Parameter_value_DISPATCHER_ACCOUNT_ID: hedera.state.dispatcher!.accountId,
      SST_Secret_value_DISPATCHER_KEY: hedera.state.dispatcher!.privateKey,
      HEDERA_LOCAL_NODE: `${hedera.config.consensusNode!.address}=${hedera.config.consensusNode!.accountId}`,
      HEDERA_LOCAL_MIRROR_GRPC: hedera.config.mirrorGrpc!,
      HEDERA_MIRROR_REST: hedera.config.mirrorRestUrl,
      HEDERA_AUDIT_TOPIC_ID: hedera.state.auditTopicId,
      POWERTOOLS_SERVICE_NAME: "tensornode",
      POWERTOOLS_METRICS_NAMESPACE: "TensorNode",
      ...Object.fromEntries(Object.values(sqs.queues).map((q) => [q.spec.urlEnv, q.url])),
    });

    const http = await startHttpGateway({
      port: ports.api,
      routes: manifest.http.routes.map((routeKey) => ({ routeKey, invoke: runtime.invoker(manifest.http.handler, manifest.http.timeoutSeconds) })),
      cors: manifest.http.cors,
      log: (line: Record<string, unknown>) => log("http", "request", line),
    });
    closers.push(http.close);
    // Closers run in reverse: this drains pending usage charges before DynamoDB stops.
    closers.push(async () => {
      const services = (await import(pathToFileURL(join(options.rootDir, "functions/lib/services.ts")).href)) as { drainBackgroundWork(): Promise<void> };
      await services.drainBackgroundWork();
    });
    // The same app through a Lambda Function URL with response streaming: SSE arrives chunk by chunk.
    const streamUrl = await startFunctionUrl({
      port: ports.stream,
      invoke: runtime.streamingInvoker(manifest.http.streaming.handler, manifest.http.streaming.timeoutSeconds),
      cors: manifest.http.cors,
      log: (line: Record<string, unknown>) => log("function-url", "request", line),
    });
    closers.push(streamUrl.close);

    const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    closers.push(() => sqsClient.destroy());
    for (const queue of Object.values(sqs.queues)) {
      const mapping = startEventSourceMapping({
        sqs: sqsClient,
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: queue.spec.batchSize,
        invoke: runtime.invoker(queue.spec.consumer, queue.spec.consumerTimeoutSeconds),
        log,
      });
      closers.push(mapping.stop);
    }

    const scheduler = startScheduler(
      Object.entries(manifest.crons).map(([name, cron]) => ({ name, schedule: cron.schedule, invoke: runtime.invoker(cron.handler, cron.timeoutSeconds) })),
      { log, armTimers: options.schedules !== false },
    );
    closers.push(scheduler.stop);

    const localMiners = options.miners
      ? await startLocalMiners({
          accounts: hedera.state.miners.slice(0, options.miners),
          dispatcher: hedera.state.dispatcher!,
          apiUrl: http.url,
          ports: await Promise.all(Array.from({ length: options.miners }, (_, i) => checked(options.minerPorts?.[i], `miner ${i + 1}`))),
          log,
        })
      : undefined;
    if (localMiners) closers.push(localMiners.close);

    // The demo account is the local developer's Hedera account, funded by a real deposit.
    const demoOwnerId = hedera.state.developer.accountId;
    const demoApiKey = await ensureDemoApiKey({ dynamoEndpoint: dynamo.endpoint, tableName, stateFile: options.demoStateFile, ownerId: demoOwnerId });
    if ((await demoBalance({ dynamoEndpoint: dynamo.endpoint, tableName, ownerId: demoOwnerId })) <= 0n) {
      await depositToTreasury({ consensusNode: hedera.config.consensusNode!, from: hedera.state.developer, treasuryAccountId: hedera.config.operatorId, amountTinybars: DEMO_DEPOSIT_TINYBARS });
      await scheduler.fire("depositScan");
      log("local", "demo account funded by a deposit to the treasury", { accountId: demoOwnerId, tinybars: DEMO_DEPOSIT_TINYBARS.toString() });
    }
    const dashboard = await startDashboardServer({
      port: ports.dashboard,
      webDir: join(options.rootDir, "web"),
      config: { apiUrl: http.url, webSocketUrl: websocket.url, streamUrl: streamUrl.url, apiKey: demoApiKey },
    });
    closers.push(dashboard.close);

    return {
      urls: {
        api: http.url,
        /** The streaming API (Function URL, RESPONSE_STREAM): SSE is incremental here, buffered on `api`. */
        stream: streamUrl.url,
        websocket: websocket.url,
        dashboard: dashboard.url,
        dynamodb: dynamo.endpoint,
        sqs: sqs.endpoint,
        wsManagement: websocket.managementEndpoint,
        hederaConsensus: hedera.ledger.consensus,
        hederaMirrorGrpc: hedera.ledger.mirror,
        hederaMirrorRest: hedera.config.mirrorRestUrl,
        miners: localMiners?.urls ?? [],
      },
      /** The local Hedera network: its configuration (operator = treasury) and provisioned accounts. */
      hedera: { config: hedera.config, accounts: hedera.state, nodeAccountId: hedera.ledger.nodeAccountId },
      tableName,
      demo: { ownerId: demoOwnerId, apiKey: demoApiKey },
      queues: sqs.queues as Record<keyof Manifest["queues"], LocalQueue>,
      /** Runs a cron's handler now, as its schedule would. */
      fireCron: (name: keyof Manifest["crons"]) => scheduler.fire(name),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
