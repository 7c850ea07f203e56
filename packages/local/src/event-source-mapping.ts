import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { LocalLog } from "./log.js";

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  invoke: (event: SQSEvent) => Promise<unknown>;
  log: LocalLog;
}

/**
 * Lambda's SQS event source mapping: polls the queue, hands batches to the consumer and deletes
 * what succeeded. With `ReportBatchItemFailures`, the ids in `batchItemFailures` stay on the queue;
 * if the consumer throws or times out, the whole batch does. Either way the messages reappear after
 * their visibility timeout, and the queue's redrive policy moves them to the DLQ after
 * maxReceiveCount receives, exactly as in AWS.
 */
export function startEventSourceMapping(options: EventSourceMappingOptions): { stop(): Promise<void> } {
  let running = true;
  const aborter = new AbortController();

  const loop = (async () => {
    while (running) {
      try {
        const messages = await receiveBatch(options, aborter.signal);
        if (messages.length > 0) await deliver(options, messages);
      } catch (error) {
        if (!running) break;
        options.log("event-source-mapping", "poll failed", { queueUrl: options.queueUrl, error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      aborter.abort();
      await loop;
    },
  };
}

const receive = (options: EventSourceMappingOptions, max: number, waitSeconds: number, abortSignal: AbortSignal) =>
  options.sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        // local-aws-sqs ignores MessageSystemAttributeNames; the older field works.
        AttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal },
    )
    .then((r) => r.Messages ?? []);

/**
 * Gathers one batch with low latency. The SQS server answers a receive for N messages only when N
 * are there or after ~45 ms (it holds short polls too), so: long-poll for one message (answered
 * within ~10 ms of its arrival), then ask for exactly as many more as the queue reports, which it
 * answers at once. A busy queue still yields full batches, as Lambda's poller does.
 */
async function receiveBatch(options: EventSourceMappingOptions, abortSignal: AbortSignal): Promise<Message[]> {
  const first = await receive(options, 1, 1, abortSignal);
  if (first.length === 0 || options.batchSize === 1) return first;
  const { Attributes } = await options.sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }), { abortSignal });
  // The server's count includes in-flight messages, among them the one just received.
  const more = Math.min(options.batchSize - 1, Number(Attributes?.ApproximateNumberOfMessages ?? 0) - 1);
  return more > 0 ? [...first, ...(await receive(options, more, 0, abortSignal))] : first;
}

async function deliver(options: EventSourceMappingOptions, messages: Message[]): Promise<void> {
  const records = messages.map((m) => toRecord(m, options.queueArn));
  let failed: Set<string>;
  try {
    const result = (await options.invoke({ Records: records })) as Partial<SQSBatchResponse> | undefined;
    const ids = (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    // Lambda fails the whole batch when a reported id is not one of the batch's message ids.
    failed = ids.every((id) => records.some((r) => r.messageId === id)) ? new Set(ids) : new Set(records.map((r) => r.messageId));
  } catch {
    failed = new Set(records.map((r) => r.messageId));
  }
  const done = messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length > 0) {
    await options.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
  }
  if (failed.size > 0) options.log("event-source-mapping", "records left for retry", { queueUrl: options.queueUrl, batchSize: records.length, failed: [...failed] });
}

/** The record shape Lambda delivers for an SQS message. */
function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "123456789012",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? "String",
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: "us-east-1",
  };
}
