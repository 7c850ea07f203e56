import type { Clock } from "../ports/clock.js";
import type { EpochStore, SettlementQueue } from "../ports/epochs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import { epochAt, epochBounds } from "./epoch-clock.js";

/** At most this many overdue epochs are closed per run, so one run stays short after a long outage. */
export const MAX_EPOCHS_PER_RUN = 24;

/**
 * The epoch-close cron. Closes every epoch that has ended since the last close, oldest first.
 * For each, the settlement message goes out before the close is recorded: if recording fails the
 * next run sends it again, and the FIFO queue's deduplication plus the idempotent settlement
 * consumer make the repeat harmless. The reverse order could lose a settlement.
 */
export async function closeEndedEpochs(
  deps: { epochs: EpochStore; settlement: SettlementQueue; clock: Clock; logger: Logger; metrics: Metrics; epochSeconds: number },
): Promise<number[]> {
  const now = deps.clock.now();
  const current = epochAt(now, deps.epochSeconds);
  let previous = await deps.epochs.lastClosed();
  // The first run ever closes only the epoch that just ended, not every epoch since 1970.
  const first = previous === null ? current - 1 : previous + 1;
  const closed: number[] = [];
  for (let epoch = first; epoch < current && closed.length < MAX_EPOCHS_PER_RUN; epoch++) {
    await deps.settlement.enqueue({ epoch });
    const ok = await deps.epochs.close({ epoch, ...epochBounds(epoch, deps.epochSeconds), closedAt: now.toISOString() }, previous);
    if (!ok) {
      deps.logger.info("another run closed this epoch first; stopping", { epoch });
      break;
    }
    previous = epoch;
    closed.push(epoch);
  }
  if (closed.length) deps.metrics.count("EpochsClosed", closed.length);
  deps.logger.info("epoch close run finished", { current, closed });
  return closed;
}
