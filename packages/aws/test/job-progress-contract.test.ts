import { jobProgressStoreContract } from "@tensornode/core/testing";
import { afterAll, beforeAll, describe } from "vitest";
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from "../../local/src/dynamodb-local.js";
import { quietLog } from "../../local/src/log.js";
import { DynamoJobProgressStore, DynamoJobStore, createDocumentClient, type TableRef } from "../src/index.js";

/** Job progress on DynamoDB Local, against the same contract as the in-memory fake. */
let dynamo: DynamoDbLocal;
let table: TableRef;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ port: 0, log: quietLog });
  await ensureTable(dynamo.endpoint, "progress");
  table = { client: createDocumentClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }), tableName: "progress" };
});
afterAll(async () => {
  table?.client.destroy();
  await dynamo?.close();
});

describe("DynamoJobProgressStore on DynamoDB Local", () => {
  jobProgressStoreContract(() => ({ jobs: new DynamoJobStore(table), progress: new DynamoJobProgressStore(table) }));
});
