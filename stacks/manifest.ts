/**
 * What the TensorNode backend is made of, as plain data: which handler serves which HTTP and
 * WebSocket route, which queues exist and who consumes them, which crons fire what.
 *
 * Read by the SST stacks (production) and by the embedded local runtime (`npm start`, the e2e
 * tests), so the two worlds cannot drift apart. Handler strings follow SST's `path/file.export`
 * form, relative to the repository root.
 */

export interface QueueSpec {
  /** FIFO queues keep per-group order and deduplicate (settlement). */
  fifo: boolean;
  consumer: string;
  /** Records per consumer invocation. */
  batchSize: number;
  /** Must exceed the consumer's timeout, or a slow batch is delivered twice while still running. */
  visibilityTimeoutSeconds: number;
  /** Deliveries before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  consumerTimeoutSeconds: number;
  /** Environment variable through which producers learn this queue's URL. */
  urlEnv: string;
}

export interface CronSpec {
  /** EventBridge schedule expression: `rate(...)` or 6-field `cron(...)`. */
  schedule: string;
  handler: string;
  timeoutSeconds: number;
}

export const manifest = {
  http: {
    /** One Hono app serves every HTTP route; it answers unknown routes itself with JSON 404/405. */
    handler: "functions/http.handler",
    routes: ["$default"],
    timeoutSeconds: 29,
    /**
     * Open to any origin: the API authenticates with bearer API keys and signatures, not cookies, so
     * there are no ambient credentials to protect. Applied by API Gateway and the streaming Function
     * URL in AWS, and by their emulators locally (the dashboard calls the API from another origin).
     */
    cors: {
      allowOrigins: ["*"],
      allowMethods: ["GET", "POST", "DELETE"],
      allowHeaders: ["authorization", "content-type", "x-tensornode-account", "x-tensornode-timestamp", "x-tensornode-nonce", "x-tensornode-signature"],
      exposeHeaders: ["x-request-id", "x-tensornode-miner", "x-tensornode-cost-tinybars", "retry-after"],
    },
    /**
     * The same app behind a Lambda Function URL in RESPONSE_STREAM mode (no API Gateway), so SSE
     * (`stream: true`) reaches clients chunk by chunk; API Gateway buffers the whole response.
     */
    streaming: {
      handler: "functions/http-stream.handler",
      /** Function URLs have no 30 s cap: long enough for a long streamed completion. */
      timeoutSeconds: 120,
    },
  },
  websocket: {
    routes: {
      $connect: "functions/ws/connect.handler",
      $disconnect: "functions/ws/disconnect.handler",
      $default: "functions/ws/default.handler",
      subscribe: "functions/ws/subscribe.handler",
      unsubscribe: "functions/ws/unsubscribe.handler",
      /** A streamed chat completion: chunk events pushed to the caller's connection. */
      chat: "functions/ws/chat.handler",
    },
    /** Long enough for a streamed completion; API Gateway acknowledges the message after 29 s regardless. */
    timeoutSeconds: 120,
  },
  queues: {
    inference: {
      fifo: false,
      consumer: "functions/consumers/inference.handler",
      batchSize: 10,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 3,
      consumerTimeoutSeconds: 150,
      urlEnv: "INFERENCE_QUEUE_URL",
    },
    scoring: {
      fifo: false,
      consumer: "functions/consumers/scoring.handler",
      batchSize: 10,
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
      consumerTimeoutSeconds: 30,
      urlEnv: "SCORING_QUEUE_URL",
    },
    settlement: {
      fifo: true,
      consumer: "functions/consumers/settlement.handler",
      batchSize: 1,
      visibilityTimeoutSeconds: 300,
      maxReceiveCount: 5,
      consumerTimeoutSeconds: 240,
      urlEnv: "SETTLEMENT_QUEUE_URL",
    },
  } satisfies Record<string, QueueSpec>,
  crons: {
    epochClose: { schedule: "rate(1 hour)", handler: "functions/cron/epoch-close.handler", timeoutSeconds: 120 },
    healthProbe: { schedule: "rate(1 minute)", handler: "functions/cron/health-probe.handler", timeoutSeconds: 50 },
    /** Credits HBAR deposits to the treasury (memo = account id) from the mirror node. */
    depositScan: { schedule: "rate(1 minute)", handler: "functions/cron/deposit-scan.handler", timeoutSeconds: 50 },
  } satisfies Record<string, CronSpec>,
  /** Environment every handler reads; the stacks and the local runtime both set all of it. */
  env: {
    tableName: "TABLE_NAME",
    wsManagementEndpoint: "WS_MANAGEMENT_ENDPOINT",
    epochSeconds: "EPOCH_SECONDS",
    maxBodyBytes: "MAX_BODY_BYTES",
    maxUploadBytes: "MAX_UPLOAD_BYTES",
    rateLimitPerMinute: "RATE_LIMIT_PER_MINUTE",
    routingCacheMs: "ROUTING_CACHE_MS",
    /** "true" lets miners register loopback/private endpoints: the local runtime only. */
    allowPrivateMinerEndpoints: "ALLOW_PRIVATE_MINER_ENDPOINTS",
  },
  defaults: {
    /** Matches the epochClose schedule above. */
    epochSeconds: 3600,
    /** JSON request bodies above this are refused with 413 (documented in the README). */
    maxBodyBytes: 1_048_576,
    /** Audio uploads (multipart); API Gateway's own payload limit is 10 MB. */
    maxUploadBytes: 8 * 1_048_576,
    /** Requests per minute per API key, for keys without their own limit. */
    rateLimitPerMinute: 600,
    /** How long an API instance reuses its copy of the miner directory (routing table) before reading it again. */
    routingCacheMs: 5_000,
    /** How long a synchronous request may spend across miners (API Gateway gives up at 30 s). */
    syncDeadlineMs: 25_000,
    /** The same for a queued job (the consumer's timeout is longer). */
    jobDeadlineMs: 120_000,
  },
} as const;

export type Manifest = typeof manifest;
export type QueueName = keyof Manifest["queues"];
export type CronName = keyof Manifest["crons"];
