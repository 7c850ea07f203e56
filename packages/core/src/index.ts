/**
 * @module @tensornode/core
 * The TensorNode domain: jobs, API keys, WebSocket subscriptions, epochs, scores and miner health.
 * Everything outside the process (tables, queues, sockets, ledgers) is reached through the ports
 * in `ports/`; adapters in other packages implement them.
 */
export * from "./shared/errors.js";
export * from "./shared/validation.js";
export * from "./ports/logger.js";
export * from "./ports/clock.js";
export * from "./ports/jobs.js";
export * from "./ports/connections.js";
export * from "./ports/api-keys.js";
export * from "./ports/epochs.js";
export * from "./ports/miners.js";
export * from "./ports/ledger.js";
export * from "./ports/accounts.js";
export * from "./ports/usage.js";
export * from "./ports/rate-limits.js";
export * from "./ports/miner-transport.js";
export * from "./jobs/job.js";
export * from "./jobs/submit-job.js";
export * from "./jobs/get-job.js";
export * from "./jobs/process-job.js";
export * from "./jobs/notify-subscribers.js";
export * from "./jobs/canary-executor.js";
export * from "./auth/api-key.js";
export * from "./auth/authenticate.js";
export * from "./auth/signed-request.js";
export * from "./auth/memory-nonce-store.js";
export * from "./connections/connections.js";
export * from "./scoring/score.js";
export * from "./scoring/record-scores.js";
export * from "./epochs/epoch-clock.js";
export * from "./epochs/close-epochs.js";
export * from "./epochs/tally.js";
export * from "./miners/miner.js";
export * from "./miners/probe-miners.js";
export * from "./miners/registration.js";
export * from "./miners/endpoint-policy.js";
export * from "./ports/miner-hosts.js";
export * from "./ports/job-progress.js";
export * from "./miners/hosting.js";
export * from "./accounts/account.js";
export * from "./accounts/manage-accounts.js";
export * from "./accounts/credit-deposits.js";
export * from "./billing/usage.js";
export * from "./billing/usage-meter.js";
export * from "./billing/rate-limiter.js";
export * from "./billing/spending-guard.js";
export * from "./routing/routing-table.js";
export * from "./inference/operations.js";
export * from "./inference/sse-usage-tap.js";
export * from "./inference/infer.js";
export * from "./inference/requests.js";
export * from "./inference/inference-executor.js";
export * from "./inference/stream-chat.js";
export * from "./inference/wav.js";
export * from "./inference/token-count.js";
export { TtlCache } from "./shared/ttl-cache.js";
export { jsonSchemaOf } from "./shared/json-schema.js";
export { listQuerySchema } from "./shared/list-query.js";
export { randomIds } from "./shared/ids.js";
