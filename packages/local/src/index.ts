/**
 * @module @tensornode/local
 * The embedded local runtime: the whole backend on 127.0.0.1 with real protocol-compatible servers.
 */
export { startLocalNetwork, type LocalNetwork, type LocalNetworkOptions } from "./local-network.js";
export { dispatchAuthorizerFor } from "./local-miners.js";
export { ensureDemoApiKey, DEMO_OWNER_ID } from "./demo-account.js";
export { startDynamoDbLocal, ensureTable } from "./dynamodb-local.js";
export { startLocalSqs } from "./sqs-server.js";
export { startEventSourceMapping } from "./event-source-mapping.js";
export { startScheduler, scheduledEvent } from "./scheduler.js";
export { nextFireTime } from "./schedule-expression.js";
export { LambdaRuntime } from "./lambda-runtime.js";
export { PrerequisiteError, requireJava, reservePort } from "./prerequisites.js";
export { jsonLog, quietLog, type LocalLog } from "./log.js";
