import { parseInput } from "../shared/validation.js";
import { PoisonMessageError } from "../jobs/process-job.js";
import type { ScoreStore } from "../ports/epochs.js";
import type { Logger } from "../ports/logger.js";
import { scoreMessageSchema } from "./score.js";

/**
 * Handles one message from the scoring queue. Writes are keyed by (epoch, validator, miner),
 * so a redelivered message overwrites itself and counts once.
 */
export async function recordScores(deps: { scores: ScoreStore; logger: Logger }, rawBody: string): Promise<number> {
  let message;
  try {
    message = parseInput(scoreMessageSchema, JSON.parse(rawBody));
  } catch (error) {
    throw new PoisonMessageError(`malformed score message: ${(error as Error).message}`);
  }
  for (const score of message.scores) {
    await deps.scores.save({ ...score, epoch: message.epoch, validatorId: message.validatorId, submittedAt: message.submittedAt });
  }
  deps.logger.info("scores recorded", { epoch: message.epoch, validatorId: message.validatorId, count: message.scores.length });
  return message.scores.length;
}
