import { settleEpoch } from "@tensornode/core";
import { getServices } from "../lib/services.js";
import { sqsConsumer } from "../lib/sqs-batch.js";

/** Settlement FIFO consumer: freezes each closed epoch's scores into a tally, in epoch order. */
export const handler = sqsConsumer(
  async (record) => {
    await settleEpoch(getServices(), record.body);
  },
  { fifo: true },
);
