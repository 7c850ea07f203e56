import { closeEndedEpochs } from "@tensornode/core";
import type { ScheduledEvent } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";

/** EventBridge schedule: closes every epoch that has ended and queues its settlement. */
export const handler = lambda(async (_event: ScheduledEvent) => {
  const s = getServices();
  const closed = await closeEndedEpochs({ ...s, settlement: s.settlementQueue(), epochSeconds: s.config.epochSeconds });
  return { closed };
});
