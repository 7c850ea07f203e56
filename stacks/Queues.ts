import { Duration } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Function, Queue, type App } from "sst/constructs";
import { manifest, type QueueName, type QueueSpec } from "./manifest";
import { tableAccess } from "./permissions";
import { pascal, type Wiring } from "./shared";

export interface QueueResources {
  name: QueueName;
  spec: QueueSpec;
  queue: Queue;
  /** Main queue; `queue.cdk.queue` typed as the concrete class. */
  sqsQueue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
  consumer: Function;
}

/** SQS keeps a message at most 14 days; the DLQ keeps it as long as possible for inspection and redrive. */
const DLQ_RETENTION = Duration.days(14);

/**
 * One queue per `manifest.queues` entry, each with its dead-letter queue and its consumer.
 * Consumers report partial batch failures, so only the failed records are retried.
 */
export function createQueues(w: Wiring): Record<QueueName, QueueResources> {
  const entries = (Object.keys(manifest.queues) as QueueName[]).map((name) => [name, createQueue(w, name)] as const);
  return Object.fromEntries(entries) as Record<QueueName, QueueResources>;
}

function createQueue({ stack, table, env }: Wiring, name: QueueName): QueueResources {
  const spec: QueueSpec = manifest.queues[name];
  const id = pascal(name);
  if (spec.visibilityTimeoutSeconds <= spec.consumerTimeoutSeconds) {
    // Lambda refuses the event source mapping at deploy time; fail at synth instead.
    throw new Error(`queue ${name}: visibilityTimeoutSeconds must exceed consumerTimeoutSeconds`);
  }
  // FIFO queues (and their DLQs, which must be FIFO too) need the ".fifo" name suffix; SST adds it
  // to the main queue when `fifo` is set, the DLQ is named here. Deduplication is explicit: the
  // producer sets MessageDeduplicationId (the epoch), so content-based deduplication stays off.
  const fifoProps = spec.fifo ? { fifo: true, contentBasedDeduplication: false } : {};

  const deadLetterQueue = new sqs.Queue(stack, `${id}Dlq`, {
    queueName: (stack.node.root as App).logicalPrefixedName(`${id}Dlq`) + (spec.fifo ? ".fifo" : ""),
    retentionPeriod: DLQ_RETENTION,
    ...fifoProps,
  });

  const consumer = new Function(stack, `${id}Consumer`, {
    handler: spec.consumer,
    timeout: spec.consumerTimeoutSeconds,
    environment: env,
    permissions: [tableAccess(table)],
  });

  const queue = new Queue(stack, `${id}Queue`, {
    cdk: {
      queue: {
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
        ...fifoProps,
      },
    },
    consumer: {
      function: consumer,
      cdk: { eventSource: { batchSize: spec.batchSize, reportBatchItemFailures: true } },
    },
  });

  return { name, spec, queue, sqsQueue: queue.cdk.queue as sqs.Queue, deadLetterQueue, consumer };
}
