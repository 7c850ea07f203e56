import { RateLimiter, RoutingTable, SpendingGuard, UsageMeter, type InferenceDeps, type MinerRecord } from "../../src/index.js";
import { FixedClock, InMemoryAccountStore, InMemoryApiKeyStore, InMemoryMinerDirectory, InMemoryUsageLedger, ScriptedMinerTransport, aMiner } from "../../testing/index.js";
import { RecordingLogger } from "./recording-logger.js";

export const WORLD_OWNER = "0.0.1001";

/**
 * Everything inference needs, on the in-memory fakes: the given miners, one account holding
 * `balance` tinybars, a scripted transport (no endpoint answers until scripted) and real routing,
 * metering and limits. Shared by the inference, job and worst-case-cost tests.
 */
export async function inferenceWorld(options: { miners: Array<Partial<MinerRecord>>; balance?: bigint; deadlineMs?: number }) {
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const logger = new RecordingLogger();
  const directory = new InMemoryMinerDirectory();
  for (const miner of options.miners) await directory.put(aMiner(miner));
  const accounts = new InMemoryAccountStore();
  await accounts.create({ accountId: WORLD_OWNER, createdAt: "2030-01-01T00:00:00.000Z" });
  const balance = options.balance ?? 1_000_000n;
  if (balance > 0n) await accounts.creditDeposit({ accountId: WORLD_OWNER, transactionId: "tx_1", from: WORLD_OWNER, amountTinybars: balance, consensusTimestamp: "1.0" });
  const apiKeys = new InMemoryApiKeyStore();
  const usage = new InMemoryUsageLedger({ accounts, apiKeys });
  const meter = new UsageMeter({ usage, logger }, { retryDelaysMs: [1] });
  const transport = new ScriptedMinerTransport();
  const deps: InferenceDeps = {
    routing: new RoutingTable({ miners: directory, clock }),
    transport,
    meter,
    guard: new SpendingGuard({ accounts, meter, clock }),
    limiter: new RateLimiter(clock),
    clock,
    logger,
    defaultRateLimitPerMinute: 60,
    deadlineMs: options.deadlineMs ?? 1_000,
  };
  const balanceNow = async () => (await accounts.get(WORLD_OWNER))?.balanceTinybars;
  const charges = async () => usage.listByOwner(WORLD_OWNER, { limit: 100 });
  return { deps, transport, meter, usage, accounts, apiKeys, logger, clock, directory, balanceNow, charges };
}
