import { BatchProcessor, EventType, SqsFifoPartialProcessorAsync, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambda, logger } from "./lambda.js";

/**
 * An SQS consumer that reports partial batch failures: each record is handled on its own, a
 * record that throws is returned in `batchItemFailures` (and comes back after its visibility
 * timeout, then goes to the DLQ after maxReceiveCount), and the rest of the batch is deleted.
 * FIFO queues stop at the first failure so a message group never runs out of order.
 */
export function sqsConsumer(handleRecord: (record: SQSRecord) => Promise<void>, options: { fifo?: boolean } = {}) {
  const processor = options.fifo ? new SqsFifoPartialProcessorAsync() : new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    logger.appendKeys({ messageId: record.messageId });
    try {
      await handleRecord(record);
    } catch (error) {
      logger.warn("record failed", { error: (error as Error).message, receiveCount: record.attributes?.ApproximateReceiveCount });
      throw error;
    } finally {
      logger.removeKeys(["messageId"]);
    }
  };
  return lambda(
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      // A batch where every record failed is reported like any other, rather than thrown:
      // SQS treats both the same, and a thrown error would only add a misleading stack trace.
      processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
  );
}
