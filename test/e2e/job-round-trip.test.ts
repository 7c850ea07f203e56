import { createHash } from "node:crypto";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { DynamoJobStore } from "@tensornode/aws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * The foundation's vertical slice, end to end through the local runtime with real clients:
 * HTTP → job item in DynamoDB → SQS → consumer → result item → WebSocket push; and a poison
 * message that reaches the DLQ while the rest of its batch succeeds.
 */
let t: TestNetwork;
const runtimeLog: Array<{ message: string; attributes?: Record<string, unknown> }> = [];
const auth = () => ({ authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" });

beforeAll(async () => {
  // 1 s visibility timeout: a failed record comes back (and is redriven) within seconds.
  t = await startTestNetwork({ visibilityTimeoutSeconds: 1, log: (_component, message, attributes) => runtimeLog.push({ message, attributes }) });
});
afterAll(async () => t?.close());

describe("local network: job round trip", () => {
  it("answers GET /health", async () => {
    const response = await fetch(`${t.network.urls.api}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("runs a job from HTTP through DynamoDB and SQS to a subscribed WebSocket client", async () => {
    // Prepare: a client connected with the demo key.
    const client = await connectClient(`${t.network.urls.websocket}?api_key=${encodeURIComponent(t.apiKey)}`);

    // Act: submit over HTTP, subscribe over WebSocket.
    const submitted = await fetch(`${t.network.urls.api}/v1/jobs`, { method: "POST", headers: auth(), body: JSON.stringify({ kind: "canary", input: { message: "round trip" } }) });
    expect(submitted.status).toBe(202);
    const job = (await submitted.json()) as { id: string; status: string };
    expect(job.status).toBe("queued");
    client.send({ action: "subscribe", jobId: job.id });

    // Assess: the route response, then the pushed result (pushed at once if the job won the race).
    const messages = [await client.next(), await client.next()];
    expect(messages).toContainEqual({ type: "subscribed", jobId: job.id, status: expect.any(String) });
    const update = messages.find((m) => (m as { type: string }).type === "job.updated") as { job: { id: string; status: string; result: { sha256: string } } };
    expect(update.job).toMatchObject({ id: job.id, status: "succeeded" });
    expect(update.job.result.sha256).toBe(createHash("sha256").update("round trip").digest("hex"));

    // The result item is in DynamoDB, and GET returns it.
    const item = await t.jobItem(job.id);
    expect(item).toMatchObject({ status: "succeeded", attempts: 1, ownerId: t.network.demo.ownerId });
    const fetched = await fetch(`${t.network.urls.api}/v1/jobs/${job.id}`, { headers: auth() });
    expect(await fetched.json()).toMatchObject({ id: job.id, status: "succeeded", result: { message: "round trip" } });
    await client.close();
  });

  it("refuses a WebSocket connection without a valid API key", async () => {
    await expect(connectClient(t.network.urls.websocket)).rejects.toThrow(/401/);
    await expect(connectClient(`${t.network.urls.websocket}?api_key=tn_not_a_real_key_at_all`)).rejects.toThrow(/401/);
  });

  it("redrives a poison message to the DLQ while the rest of its batch succeeds", async () => {
    // Prepare: two queued jobs stored without being enqueued, so this test controls the batch.
    const store = new DynamoJobStore({ client: t.documents, tableName: t.network.tableName });
    const now = new Date().toISOString();
    const ids = ["job_batch_a", "job_batch_b"];
    for (const id of ids) await store.create({ id, ownerId: "demo", kind: "canary", input: { message: id }, status: "queued", attempts: 0, createdAt: now, updatedAt: now });
    const queue = t.network.queues.inference;

    // Act: one SendMessageBatch with the poison in the middle.
    await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: "a", MessageBody: JSON.stringify({ jobId: ids[0] }) },
          { Id: "poison", MessageBody: "{not json" },
          { Id: "b", MessageBody: JSON.stringify({ jobId: ids[1] }) },
        ],
      }),
    );

    // Assess: both good jobs succeed on their first attempt (the failing record did not fail them) ...
    for (const id of ids) {
      const item = await eventually(async () => {
        const current = await t.jobItem(id);
        return current?.status === "succeeded" ? current : undefined;
      }, 10_000, `${id} to succeed`);
      expect(item.attempts).toBe(1);
    }
    // ... and the poison lands in the DLQ after maxReceiveCount deliveries.
    const dead = await eventually(async () => {
      const messages = await t.drain(queue.dlqUrl);
      return messages.length > 0 ? messages : undefined;
    }, 20_000, "the poison message in the DLQ");
    expect(dead.map((m) => m.Body)).toEqual(["{not json"]);
    // The first delivery was one batch of three with only the poison reported as failed.
    const retries = runtimeLog.filter((l) => l.message === "records left for retry" && l.attributes?.queueUrl === queue.url);
    expect(retries[0]?.attributes).toMatchObject({ batchSize: 3, failed: [expect.any(String)] });
  });
});
