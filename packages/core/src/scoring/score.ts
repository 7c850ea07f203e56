import { z } from "zod";

export interface ScoreSubmission {
  epoch: number;
  validatorId: string;
  minerId: string;
  /** Answer quality in [0, 1] as judged by the validator. */
  quality: number;
  latencyMs: number;
  available: boolean;
  submittedAt: string;
}

const accountId = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a Hedera account id like 0.0.1234");

/** A message on the scoring queue: one validator's scores for many miners in one epoch. */
export const scoreMessageSchema = z.strictObject({
  epoch: z.number().int().nonnegative(),
  validatorId: accountId,
  submittedAt: z.iso.datetime(),
  scores: z
    .array(
      z.strictObject({
        minerId: accountId,
        quality: z.number().min(0).max(1),
        latencyMs: z.number().nonnegative().max(600_000),
        available: z.boolean(),
      }),
    )
    .min(1)
    .max(256),
});
export type ScoreMessage = z.infer<typeof scoreMessageSchema>;
