import { randomUUID } from "node:crypto";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  accountStoreContract,
  rateLimitStoreContract,
  usageLedgerContract,
  apiKeyStoreContract,
  nonceStoreContract,
  connectionPushContract,
  connectionStoreContract,
  epochStoreContract,
  jobQueueContract,
  jobStoreContract,
  minerDirectoryContract,
  scoreStoreContract,
  settlementQueueContract,
  type PushClient,
} from "@tensornode/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import { connectClient } from "../../../test/support/ws-client.js";
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from "../../local/src/dynamodb-local.js";
import { startWebSocketGateway, type WebSocketGateway } from "../../local/src/gateway/index.js";
import { quietLog } from "../../local/src/log.js";
import { startLocalSqs, type LocalSqs } from "../../local/src/sqs-server.js";
import { manifest } from "../../../stacks/manifest.js";
import {
  ApiGatewayConnectionPush,
  DynamoApiKeyStore,
  DynamoAccountStore,
  DynamoUsageLedger,
  DynamoRateLimitStore,
  DynamoConnectionStore,
  DynamoEpochStore,
  DynamoJobStore,
  DynamoMinerDirectory,
  DynamoNonceStore,
  DynamoScoreStore,
  SqsJobQueue,
  SqsSettlementQueue,
  createDocumentClient,
  type TableRef,
} from "../src/index.js";

/**
 * The AWS adapters against the same contracts as the fakes, on live local servers:
 * DynamoDB Local (in memory), the local SQS server and the API Gateway WebSocket emulator.
 */
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let dynamo: DynamoDbLocal;
let sqsServer: LocalSqs;
let gateway: WebSocketGateway;
let table: TableRef;
let sqs: SQSClient;
/** `?client=<tag>` on the WebSocket URL → the connection id $connect saw. */
const connectionIds = new Map<string, string>();

beforeAll(async () => {
  [dynamo, sqsServer, gateway] = await Promise.all([
    startDynamoDbLocal({ port: 0, log: quietLog }),
    startLocalSqs({ port: 0, prefix: "test", queues: manifest.queues, log: quietLog }),
    startWebSocketGateway({
      port: 0,
      routes: {
        $connect: async (event) => {
          const { queryStringParameters, requestContext } = event as { queryStringParameters?: Record<string, string>; requestContext: { connectionId: string } };
          if (queryStringParameters?.client) connectionIds.set(queryStringParameters.client, requestContext.connectionId);
          return { statusCode: 200 };
        },
      },
    }),
  ]);
  await ensureTable(dynamo.endpoint, "contracts");
  table = { client: createDocumentClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials }), tableName: "contracts" };
  sqs = new SQSClient({ endpoint: sqsServer.endpoint, region: "us-east-1", credentials });
});

afterAll(async () => {
  table?.client.destroy();
  sqs?.destroy();
  await Promise.all([dynamo?.close(), sqsServer?.close(), gateway?.close()]);
});

/** Receives and deletes what is available on a queue now (short polling; pauses briefly when empty). */
const receiver = (queueUrl: () => string) => async () => {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(), MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  if (!Messages.length) await new Promise((resolve) => setTimeout(resolve, 50));
  else await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl(), Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  return Messages.map((m) => m.Body ?? "");
};

/** A WebSocket client through the gateway, as a browser would connect. */
async function connectPushClient(): Promise<PushClient> {
  const tag = randomUUID();
  const client = await connectClient(`${gateway.url}?client=${tag}`);
  return { connectionId: connectionIds.get(tag)!, nextMessage: () => client.next(2_000), close: client.close };
}

describe("DynamoDB adapters on DynamoDB Local", () => {
  jobStoreContract(() => new DynamoJobStore(table));
  connectionStoreContract(() => new DynamoConnectionStore(table));
  apiKeyStoreContract(() => new DynamoApiKeyStore(table));
  accountStoreContract(() => new DynamoAccountStore(table));
  rateLimitStoreContract(() => new DynamoRateLimitStore(table));
  usageLedgerContract(() => ({ usage: new DynamoUsageLedger(table), accounts: new DynamoAccountStore(table), apiKeys: new DynamoApiKeyStore(table) }));
  nonceStoreContract(() => new DynamoNonceStore(table));
  scoreStoreContract(() => new DynamoScoreStore(table));
  minerDirectoryContract(() => new DynamoMinerDirectory(table));
  // The last-closed pointer is one item per table: each epoch test gets a table of its own.
  epochStoreContract(async () => {
    const tableName = `epochs-${randomUUID()}`;
    await ensureTable(dynamo.endpoint, tableName);
    return new DynamoEpochStore({ client: table.client, tableName });
  });
});

describe("SQS adapters on the local SQS server", () => {
  const inference = () => sqsServer.queues.inference!.url;
  const settlement = () => sqsServer.queues.settlement!.url;
  jobQueueContract(() => ({ queue: new SqsJobQueue(sqs, inference()), receive: receiver(inference) }));
  settlementQueueContract(() => ({ queue: new SqsSettlementQueue(sqs, settlement()), receive: receiver(settlement) }));
});

describe("API Gateway push on the local WebSocket gateway", () => {
  connectionPushContract(() => ({ push: new ApiGatewayConnectionPush(gateway.managementEndpoint), connect: connectPushClient }));
});
