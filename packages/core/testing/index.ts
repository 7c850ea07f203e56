/**
 * @module @tensornode/core/testing
 * Test support for every package: in-memory fakes of the core's ports, object mothers, and one
 * contract suite per port that runs the same vitest cases against any adapter (the fakes here,
 * the AWS adapters on live local servers), so fakes and adapters cannot drift apart.
 *
 * @example
 * ```ts
 * import { jobStoreContract, InMemoryJobStore } from "@tensornode/core/testing";
 * jobStoreContract(() => new InMemoryJobStore());
 * ```
 */
export { FixedClock, SequentialIds } from "./in-memory/clock.js";
export { InMemoryJobStore } from "./in-memory/job-store.js";
export { InMemoryConnectionStore } from "./in-memory/connection-store.js";
export { InMemoryApiKeyStore } from "./in-memory/api-key-store.js";
export { InMemoryAccountStore } from "./in-memory/account-store.js";
export { InMemoryUsageLedger } from "./in-memory/usage-ledger.js";
export { InMemoryRateLimitStore } from "./in-memory/rate-limit-store.js";
export { InMemoryEpochStore } from "./in-memory/epoch-store.js";
export { InMemoryScoreStore } from "./in-memory/score-store.js";
export { InMemoryMinerDirectory } from "./in-memory/miner-directory.js";
export { RecordingJobQueue, RecordingSettlementQueue } from "./in-memory/queues.js";
export { RecordingConnectionPush, type Delivery } from "./in-memory/connection-push.js";
export { ScriptedMinerProbe } from "./in-memory/miner-probe.js";
export { ScriptedMinerTransport, type ScriptedMinerReply, type RecordedMinerCall } from "./in-memory/miner-transport.js";
export * from "./fixtures.js";
export { jobStoreContract } from "./contracts/job-store.js";
export { connectionStoreContract } from "./contracts/connection-store.js";
export { apiKeyStoreContract } from "./contracts/api-key-store.js";
export { accountStoreContract } from "./contracts/account-store.js";
export { rateLimitStoreContract } from "./contracts/rate-limit-store.js";
export { usageLedgerContract, aUsageRecord, type UsageHarness } from "./contracts/usage-ledger.js";
export { epochStoreContract } from "./contracts/epoch-store.js";
export { scoreStoreContract } from "./contracts/score-store.js";
export { minerDirectoryContract, type WritableMinerDirectory } from "./contracts/miner-directory.js";
export { jobQueueContract, settlementQueueContract, type QueueHarness } from "./contracts/queues.js";
export { connectionPushContract, type PushClient, type PushHarness } from "./contracts/connection-push.js";
export { minerProbeContract } from "./contracts/miner-probe.js";
export { nonceStoreContract } from "./contracts/nonce-store.js";
export { InMemoryJobProgressStore } from "./in-memory/job-progress-store.js";
export { InMemoryMinerHostProvider } from "./in-memory/miner-host-provider.js";
export { jobProgressStoreContract } from "./contracts/job-progress-store.js";
export { minerHostProviderContract, type MinerHostHarness } from "./contracts/miner-host-provider.js";
