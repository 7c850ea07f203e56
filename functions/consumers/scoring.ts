import { recordScores } from "@tensornode/core";
import { getServices } from "../lib/services.js";
import { sqsConsumer } from "../lib/sqs-batch.js";

/** Scoring queue consumer: stores validators' score submissions. */
export const handler = sqsConsumer(async (record) => {
  await recordScores(getServices(), record.body);
});
