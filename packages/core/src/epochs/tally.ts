import { z } from "zod";
import { parseInput } from "../shared/validation.js";
import { PoisonMessageError } from "../jobs/process-job.js";
import type { Clock } from "../ports/clock.js";
import type { EpochStore, ScoreStore } from "../ports/epochs.js";
import type { Logger } from "../ports/logger.js";
import type { ScoreSubmission } from "../scoring/score.js";

export interface MinerTally {
  minerId: string;
  submissions: number;
  /** Mean quality over the validators that scored the miner, in [0, 1]. */
  meanQuality: number;
  /** Share of submissions that found the miner available, in [0, 1]. */
  availability: number;
  meanLatencyMs: number;
}

export interface EpochTally {
  epoch: number;
  miners: MinerTally[];
  talliedAt: string;
}

/** Aggregates one epoch's score submissions per miner (sorted by miner id, so a tally is reproducible). */
export function tallyScores(epoch: number, submissions: ScoreSubmission[], talliedAt: string): EpochTally {
  const byMiner = new Map<string, ScoreSubmission[]>();
  for (const s of submissions) byMiner.set(s.minerId, [...(byMiner.get(s.minerId) ?? []), s]);
  const miners = [...byMiner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([minerId, list]) => ({
      minerId,
      submissions: list.length,
      meanQuality: mean(list.map((s) => s.quality)),
      availability: list.filter((s) => s.available).length / list.length,
      meanLatencyMs: mean(list.map((s) => s.latencyMs)),
    }));
  return { epoch, miners, talliedAt };
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

const settlementMessageSchema = z.strictObject({ epoch: z.number().int().nonnegative() });

/**
 * The settlement consumer's first step: freeze the epoch's scores into a tally, once.
 * Redeliveries find the tally already stored and do nothing.
 */
export async function settleEpoch(
  deps: { epochs: EpochStore; scores: ScoreStore; clock: Clock; logger: Logger },
  rawBody: string,
): Promise<EpochTally | null> {
  let epoch: number;
  try {
    ({ epoch } = parseInput(settlementMessageSchema, JSON.parse(rawBody)));
  } catch (error) {
    throw new PoisonMessageError(`malformed settlement message: ${(error as Error).message}`);
  }
  const tally = tallyScores(epoch, await deps.scores.listForEpoch(epoch), deps.clock.now().toISOString());
  const stored = await deps.epochs.saveTally(tally);
  deps.logger.info(stored ? "epoch tallied" : "epoch already tallied", { epoch, miners: tally.miners.length });
  return stored ? tally : null;
}
