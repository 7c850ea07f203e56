import { processJobMessage } from "@tensornode/core";
import { logger } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";
import { sqsConsumer } from "../lib/sqs-batch.js";
import { manifest } from "../../stacks/manifest.js";

/** Inference queue consumer: runs each job and pushes the result to its WebSocket subscribers. */
export const handler = sqsConsumer(async (record) => {
  const s = getServices();
  logger.appendKeys({ jobId: tryJobId(record.body) });
  try {
    await processJobMessage({ ...s, push: s.push(), maxAttempts: manifest.queues.inference.maxReceiveCount }, record.body);
  } finally {
    logger.removeKeys(["jobId"]);
  }
});

/** Best effort, for log correlation only; validation happens in the core. */
function tryJobId(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { jobId?: unknown }).jobId;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
