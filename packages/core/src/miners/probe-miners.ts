import type { Clock } from "../ports/clock.js";
import type { Logger, Metrics } from "../ports/logger.js";
import type { MinerDirectory, MinerProbe } from "../ports/miners.js";
import type { MinerHealth } from "./miner.js";

/** A miner is taken out of routing after this many failed probes in a row (one blip is forgiven). */
export const UNHEALTHY_AFTER_FAILURES = 2;
const PROBE_CONCURRENCY = 8;

/**
 * The health-probe cron: checks every registered miner and records latency and availability.
 * Probes run a few at a time so one slow miner cannot hold up the rest past the deadline.
 */
export async function probeMiners(
  deps: { miners: MinerDirectory; probe: MinerProbe; clock: Clock; logger: Logger; metrics: Metrics; timeoutMs: number },
): Promise<{ probed: number; healthy: number }> {
  const miners = await deps.miners.list();
  let healthy = 0;
  const queue = [...miners];
  const worker = async () => {
    for (let miner = queue.shift(); miner; miner = queue.shift()) {
      const result = await deps.probe.check(miner.endpoint, deps.timeoutMs);
      const failures = result.ok ? 0 : (miner.health?.consecutiveFailures ?? 0) + 1;
      const health: MinerHealth = {
        healthy: failures < UNHEALTHY_AFTER_FAILURES,
        lastProbeAt: deps.clock.now().toISOString(),
        latencyMs: result.latencyMs,
        consecutiveFailures: failures,
        ...(result.error ? { lastError: result.error } : {}),
        probes: (miner.health?.probes ?? 0) + 1,
        successes: (miner.health?.successes ?? 0) + (result.ok ? 1 : 0),
      };
      if (health.healthy) healthy++;
      await deps.miners.recordHealth(miner.minerId, health);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, miners.length) }, worker));
  deps.metrics.count("MinersProbed", miners.length);
  deps.metrics.count("MinersHealthy", healthy);
  deps.logger.info("miner probe run finished", { probed: miners.length, healthy });
  return { probed: miners.length, healthy };
}
