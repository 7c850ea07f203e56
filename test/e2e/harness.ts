import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, keys } from "@tensornode/aws";
import { quietLog, startLocalNetwork, type LocalNetworkOptions } from "@tensornode/local";
import { manifest } from "../../stacks/manifest.js";

export const rootDir = resolve(import.meta.dirname, "../..");

/** Boots the real local network (in-memory DynamoDB) and a demo API key for one test file. */
export async function startTestNetwork(overrides: Partial<LocalNetworkOptions> = {}) {
  const demoStateFile = join(mkdtempSync(join(tmpdir(), "tn-")), "local.json");
  const network = await startLocalNetwork({ rootDir, manifest, schedules: false, log: quietLog, demoStateFile, ...overrides });
  const apiKey = network.demo.apiKey;
  const documents = createDocumentClient({ endpoint: network.urls.dynamodb });
  const sqs = new SQSClient({ endpoint: network.urls.sqs, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  return {
    network,
    apiKey,
    documents,
    sqs,
    /** The raw job item as stored in DynamoDB. */
    jobItem: async (jobId: string) => (await documents.send(new GetCommand({ TableName: network.tableName, Key: keys.job(jobId) }))).Item,
    /** Drains up to `max` messages from a queue (used on DLQs). */
    drain: async (queueUrl: string) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ["All"] }));
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      return Messages;
    },
    async close() {
      documents.destroy();
      sqs.destroy();
      await network.close();
    },
  };
}
export type TestNetwork = Awaited<ReturnType<typeof startTestNetwork>>;

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { connectClient } from "../support/ws-client.js";
