import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoMinerDirectory, createDocumentClient } from "../../src/index.js";
import { conditionFailed, throttled } from "./aws-errors.js";

const ddb = mockClient(DynamoDBDocumentClient);
const directory = new DynamoMinerDirectory({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const health = { healthy: true, lastProbeAt: "2030-01-01T00:00:00.000Z", latencyMs: 12, consecutiveFailures: 0 };

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoMinerDirectory", () => {
  it("registers a miner under MINER#<id>, listed under MINERS", async () => {
    ddb.on(PutCommand).resolves({});
    await directory.put({ minerId: "0.0.10", endpoint: "https://m.example" });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Item: { pk: "MINER#0.0.10", sk: "MINER", gsi1pk: "MINERS", gsi1sk: "0.0.10", type: "miner", minerId: "0.0.10", endpoint: "https://m.example" },
    });
  });

  it("lists miners through gsi1 across pages, with health only when probed", async () => {
    // Prepare
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ pk: "MINER#0.0.10", minerId: "0.0.10", endpoint: "e1", health }], LastEvaluatedKey: { pk: "MINER#0.0.10" } })
      .resolvesOnce({ Items: [{ pk: "MINER#0.0.11", minerId: "0.0.11", endpoint: "e2" }] });
    // Act
    const miners = await directory.list();
    // Assess
    expect(miners).toEqual([{ minerId: "0.0.10", endpoint: "e1", health }, { minerId: "0.0.11", endpoint: "e2" }]);
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toEqual({ TableName: "tn", IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :m", ExpressionAttributeValues: { ":m": "MINERS" }, ExclusiveStartKey: undefined });
    expect(second?.ExclusiveStartKey).toEqual({ pk: "MINER#0.0.10" });
  });

  it("records health only on a registered miner", async () => {
    ddb.on(UpdateCommand).resolves({});
    await directory.recordHealth("0.0.10", health);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Key: { pk: "MINER#0.0.10", sk: "MINER" },
      UpdateExpression: "SET health = :health",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":health": health },
    });
  });

  it("ignores a miner deregistered meanwhile, and rethrows other errors", async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    await expect(directory.recordHealth("0.0.10", health)).resolves.toBeUndefined();
    await expect(directory.recordHealth("0.0.10", health)).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
  });
});
