import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SqsJobQueue, SqsSettlementQueue } from "../../src/index.js";

const sqsMock = mockClient(SQSClient);
const client = new SQSClient({ region: "us-east-1" });
const URL = "https://sqs.us-east-1.amazonaws.com/123456789012/q";

beforeEach(() => sqsMock.reset());
afterAll(() => sqsMock.restore());

describe("SqsJobQueue", () => {
  it("sends the job pointer as JSON, without FIFO attributes", async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: "m1" });
    await new SqsJobQueue(client, URL).enqueue({ jobId: "job_1" });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: URL, MessageBody: '{"jobId":"job_1"}' });
  });

  it("lets a send failure reach the caller", async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error("queue unavailable"));
    await expect(new SqsJobQueue(client, URL).enqueue({ jobId: "job_1" })).rejects.toThrow("queue unavailable");
  });
});

describe("SqsSettlementQueue", () => {
  it("sends every epoch in one message group, deduplicated by epoch", async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: "m1" });
    await new SqsSettlementQueue(client, `${URL}.fifo`).enqueue({ epoch: 480_000 });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: `${URL}.fifo`,
      MessageBody: '{"epoch":480000}',
      MessageGroupId: "settlement",
      MessageDeduplicationId: "epoch-480000",
    });
  });
});
