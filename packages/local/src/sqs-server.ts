import type { Server } from "node:http";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";
import type { QueueSpec } from "../../../stacks/manifest.js";
import type { LocalLog } from "./log.js";

export interface LocalQueue {
  name: string;
  url: string;
  arn: string;
  dlqUrl: string;
  spec: QueueSpec;
}

export interface LocalSqs {
  endpoint: string;
  queues: Record<string, LocalQueue>;
  close(): Promise<void>;
}

/** Queue names as deployed: `<prefix>-<name>` and its `-dlq`, with `.fifo` for FIFO queues. */
const queueName = (prefix: string, name: string, fifo: boolean, dlq = false) => `${prefix}-${name}${dlq ? "-dlq" : ""}${fifo ? ".fifo" : ""}`;

/**
 * Starts an SQS-compatible server (local-aws-sqs, in process) on 127.0.0.1 with every queue of
 * the manifest, each with its dead-letter queue and redrive policy, as the stacks create them.
 * Messages live in memory: a restart empties the queues (jobs themselves are in DynamoDB).
 */
export async function startLocalSqs(options: {
  port: number;
  prefix: string;
  queues: Record<string, QueueSpec>;
  /** Tests shorten visibility timeouts so retries and redrives happen in seconds. */
  visibilityTimeoutSeconds?: number;
  log: LocalLog;
}): Promise<LocalSqs> {
  const definitions = Object.entries(options.queues).flatMap(([name, spec]) => {
    const fifo = spec.fifo ? { FifoQueue: true } : {};
    const dlqName = queueName(options.prefix, name, spec.fifo, true);
    return [
      { QueueName: dlqName, Attributes: { ...fifo, MessageRetentionPeriod: 14 * 86_400 } },
      {
        QueueName: queueName(options.prefix, name, spec.fifo),
        Attributes: {
          ...fifo,
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds,
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${dlqName}`, maxReceiveCount: spec.maxReceiveCount }),
        },
      },
    ];
  });
  const server: Server = await createSqsServer({
    port: options.port,
    hostname: "127.0.0.1",
    emulateQueueCreationLifecycle: false,
    queues: definitions,
  });
  // With port 0 the server picked one: read it back.
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const queues: Record<string, LocalQueue> = {};
  try {
    for (const [name, spec] of Object.entries(options.queues)) {
      const { QueueUrl: url } = await client.send(new GetQueueUrlCommand({ QueueName: queueName(options.prefix, name, spec.fifo) }));
      const { QueueUrl: dlqUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName(options.prefix, name, spec.fifo, true) }));
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
      queues[name] = { name, url: url!, dlqUrl: dlqUrl!, arn: Attributes?.QueueArn ?? "", spec };
    }
  } finally {
    client.destroy();
  }
  options.log("sqs", "SQS server ready", { endpoint, queues: Object.values(queues).map((q) => q.url) });
  return {
    endpoint,
    queues,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
