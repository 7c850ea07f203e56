/**
 * @module @tensornode/aws
 * AWS adapters for the core's ports. The same adapters serve production and the local runtime:
 * locally the SDK's standard endpoint variables point them at DynamoDB Local and the SQS server.
 */
export * from "./dynamodb/table-definition.js";
export * from "./dynamodb/keys.js";
export * from "./dynamodb/client.js";
export * from "./dynamodb/job-store.js";
export * from "./dynamodb/connection-store.js";
export * from "./dynamodb/api-key-store.js";
export * from "./dynamodb/account-store.js";
export * from "./dynamodb/usage-ledger.js";
export * from "./dynamodb/rate-limit-store.js";
export * from "./dynamodb/epoch-store.js";
export * from "./dynamodb/miner-directory.js";
export * from "./dynamodb/job-progress-store.js";
export * from "./dynamodb/nonce-store.js";
export * from "./sqs/sqs-queues.js";
export * from "./apigateway/connection-push.js";
export * from "./observability/powertools.js";
