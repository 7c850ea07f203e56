import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { JobMessage, JobQueue, SettlementQueue } from "@tensornode/core";

/** Endpoints come from the standard SDK configuration (`AWS_ENDPOINT_URL_SQS` locally). */
export const createSqsClient = () => new SQSClient({ maxAttempts: 3 });

/** The inference queue: a standard queue; the job id in the body makes redelivery harmless. */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: JobMessage): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}

/**
 * The settlement FIFO queue. All epochs share one message group so they settle in order, and
 * the epoch number is the deduplication id: a cron run that re-sends an epoch within SQS's
 * five-minute window is dropped by the queue itself.
 */
export class SqsSettlementQueue implements SettlementQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: { epoch: number }): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: "settlement",
        MessageDeduplicationId: `epoch-${message.epoch}`,
      }),
    );
  }
}
