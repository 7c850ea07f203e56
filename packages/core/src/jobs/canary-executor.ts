import { createHash } from "node:crypto";
import { z } from "zod";
import { parseInput } from "../shared/validation.js";
import type { JobExecutor } from "../ports/jobs.js";

const canaryInputSchema = z
  .strictObject({ message: z.string().max(4096).default("ping") })
  .nullable()
  .transform((value) => value ?? { message: "ping" });

/**
 * The `canary` job proves the pipeline end to end (API → table → queue → worker → push) without
 * a miner: it returns the message with its SHA-256, so a caller can check nothing was altered on
 * the way. Health checks and the dashboard use it; inference kinds dispatch to miners instead.
 */
export const canaryExecutor: JobExecutor = {
  kind: "canary",
  async execute(input, context) {
    const { message } = parseInput(canaryInputSchema, input);
    return {
      message,
      sha256: createHash("sha256").update(message, "utf8").digest("hex"),
      attempt: context.attempt,
    };
  },
};
