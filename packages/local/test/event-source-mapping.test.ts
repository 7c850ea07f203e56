import { createHash } from "node:crypto";
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { QueueSpec } from "../../../stacks/manifest.js";
import { startEventSourceMapping } from "../src/event-source-mapping.js";
import { quietLog, type LocalLog } from "../src/log.js";
import { startLocalSqs, type LocalQueue, type LocalSqs } from "../src/sqs-server.js";

/** One standard queue, redriven to its DLQ after the second receive; 1 s visibility keeps retries quick. */
const workSpec: QueueSpec = {
  fifo: false,
  consumer: "functions/consumers/work.handler",
  batchSize: 10,
  visibilityTimeoutSeconds: 1,
  maxReceiveCount: 2,
  consumerTimeoutSeconds: 1,
  urlEnv: "WORK_QUEUE_URL",
};

let server: LocalSqs;
let sqs: SQSClient;
let queue: LocalQueue;
let mapping: { stop(): Promise<void> } | undefined;

/**
 * A fresh server per test (it starts in milliseconds, in process): local-aws-sqs keeps serving a
 * long poll whose client went away, so a receive aborted by one test's `stop()` would otherwise
 * take the next test's first message and hide it for the visibility timeout.
 */
beforeEach(async () => {
  server = await startLocalSqs({
    port: 0,
    prefix: "esm-mapping-test",
    queues: { work: workSpec },
    visibilityTimeoutSeconds: 1,
    log: quietLog,
  });
  queue = server.queues.work!;
  sqs = new SQSClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});

afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
  sqs?.destroy();
  await server?.close();
});

/** A consumer that keeps every event; `respond(event, call)` decides each outcome (call counts from 1). */
function consumer(respond: (event: SQSEvent, call: number) => Promise<unknown> | unknown = () => undefined) {
  const events: SQSEvent[] = [];
  const invoke = async (event: SQSEvent) => {
    events.push(event);
    return respond(event, events.length);
  };
  return { invoke, events };
}

function startMapping(invoke: (event: SQSEvent) => Promise<unknown>, log: LocalLog = quietLog) {
  mapping = startEventSourceMapping({ sqs, queueUrl: queue.url, queueArn: queue.arn, batchSize: workSpec.batchSize, invoke, log });
  return mapping;
}

async function sendBatch(bodies: string[]): Promise<string[]> {
  const { Successful = [], Failed = [] } = await sqs.send(
    new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
  );
  expect(Failed).toEqual([]);
  return bodies.map((_, i) => Successful.find((s) => s.Id === String(i))!.MessageId!);
}

/** Visible plus in-flight messages on a queue. */
async function messagesOn(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 4_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const idsOf = (events: SQSEvent[]) => events.flatMap((e) => e.Records.map((r) => r.messageId));

describe("SQS event source mapping: the event", () => {
  it("delivers records in Lambda's SQS record shape, message attributes included", async () => {
    // Prepare
    const body = JSON.stringify({ jobId: "job-1" });
    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: body,
        MessageAttributes: {
          traceId: { DataType: "String", StringValue: "trace-1" },
          attempt: { DataType: "Number", StringValue: "3" },
          blob: { DataType: "Binary", BinaryValue: Uint8Array.from([1, 2, 3, 250]) },
        },
      }),
    );
    const c = consumer(() => ({ batchItemFailures: [] }) satisfies SQSBatchResponse);

    // Act
    startMapping(c.invoke);
    await waitFor(() => c.events.length === 1, "the delivery");
    await waitFor(async () => (await messagesOn(queue.url)) === 0, "the delete");

    // Assess
    const event = c.events[0]!;
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    expect(record).toEqual({
      messageId: MessageId,
      receiptHandle: expect.stringMatching(/.+/),
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        traceId: { dataType: "String", stringValue: "trace-1", stringListValues: [], binaryListValues: [] },
        attempt: { dataType: "Number", stringValue: "3", stringListValues: [], binaryListValues: [] },
        blob: { dataType: "Binary", binaryValue: Buffer.from([1, 2, 3, 250]).toString("base64"), stringListValues: [], binaryListValues: [] },
      },
      md5OfBody: createHash("md5").update(body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: "us-east-1",
    });
    expect(queue.arn).toMatch(/^arn:aws:sqs:[a-z0-9-]+:\d{12}:esm-mapping-test-work$/);
  });

  it("hands messages sent together to one invocation and deletes them all on success", async () => {
    // Prepare
    const ids = await sendBatch(["a", "b", "c"]);
    const c = consumer();

    // Act
    startMapping(c.invoke);
    await waitFor(() => c.events.length === 1, "the delivery");
    await waitFor(async () => (await messagesOn(queue.url)) === 0, "the deletes");

    // Assess
    expect(c.events).toHaveLength(1);
    expect(idsOf(c.events).sort()).toEqual([...ids].sort());
    expect(c.events[0]!.Records.map((r) => r.body).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("SQS event source mapping: failures and retries", () => {
  it("keeps only the ids in batchItemFailures, redelivers them and moves them to the DLQ after maxReceiveCount", async () => {
    // Prepare
    const [, failingId] = await sendBatch(["ok-1", "fails", "ok-2"]);
    const c = consumer((event) => ({ batchItemFailures: event.Records.filter((r) => r.body === "fails").map((r) => ({ itemIdentifier: r.messageId })) }));

    // Act
    startMapping(c.invoke);
    await waitFor(() => c.events.length === 2, "the redelivery");
    // Short polls: a message moved by the redrive does not wake a long poll on the DLQ.
    let dead: Message[] = [];
    await waitFor(async () => {
      dead = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? [];
      return dead.length > 0;
    }, "the message in the DLQ");

    // Assess
    expect(c.events[0]!.Records).toHaveLength(3);
    expect(c.events[1]!.Records.map((r) => [r.messageId, r.body, r.attributes.ApproximateReceiveCount])).toEqual([[failingId, "fails", "2"]]);
    expect(dead.map((m) => [m.MessageId, m.Body])).toEqual([[failingId, "fails"]]);
    expect(c.events).toHaveLength(2);
    expect(await messagesOn(queue.url)).toBe(0);
  });

  it("redelivers the whole batch when the consumer throws", async () => {
    // Prepare
    const ids = await sendBatch(["x", "y"]);
    const c = consumer((_, call) => {
      if (call === 1) throw new Error("database unavailable");
    });

    // Act
    startMapping(c.invoke);
    await waitFor(() => idsOf(c.events.slice(1)).length === 2, "the redelivery of both");
    await waitFor(async () => (await messagesOn(queue.url)) === 0, "the deletes");

    // Assess
    expect(idsOf(c.events.slice(0, 1)).sort()).toEqual([...ids].sort());
    const retried = c.events.slice(1).flatMap((e) => e.Records);
    expect(retried.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    expect(retried.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(["2", "2"]);
  });

  it("redelivers the whole batch when batchItemFailures names an id not in the batch (Lambda's rule)", async () => {
    // Prepare
    const ids = await sendBatch(["p", "q"]);
    const c = consumer((_, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: "not-a-message-id" }] } : { batchItemFailures: [] }));

    // Act
    startMapping(c.invoke);
    await waitFor(() => idsOf(c.events.slice(1)).length === 2, "the redelivery of both");
    await waitFor(async () => (await messagesOn(queue.url)) === 0, "the deletes");

    // Assess
    const retried = c.events.slice(1).flatMap((e) => e.Records);
    expect(retried.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    expect(retried.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(["2", "2"]);
  });
});

describe("SQS event source mapping: stopping", () => {
  it("stop() resolves promptly while a long poll is open, without logging a poll failure", async () => {
    // Prepare
    const lines: string[] = [];
    const c = consumer();
    const m = startMapping(c.invoke, (_, message) => lines.push(message));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Act
    const started = Date.now();
    await m.stop();
    const elapsed = Date.now() - started;

    // Assess: the long poll waits up to 1 s, so only an aborted poll stops well within that.
    expect(elapsed).toBeLessThan(500);
    expect(lines).not.toContain("poll failed");
    expect(c.events).toHaveLength(0);
  });
});
