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
export { randomIds } from "./shared/ids.js";
