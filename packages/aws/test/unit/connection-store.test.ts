import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoConnectionStore, createDocumentClient } from "../../src/index.js";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoConnectionStore({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const DAY_LATER = 1_893_456_000 + 86_400; // 2030-01-01T00:00:00Z + 1 day, in epoch seconds
const AT = new Date("2030-01-01T00:00:00.000Z");

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoConnectionStore", () => {
  it("saves a connection under CONN#<id> expiring a day after it connected", async () => {
    ddb.on(PutCommand).resolves({});
    await store.save({ connectionId: "c1", ownerId: "o1", connectedAt: AT.toISOString() });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Item: { pk: "CONN#c1", sk: "CONN", type: "connection", connectionId: "c1", ownerId: "o1", connectedAt: AT.toISOString(), expiresAt: DAY_LATER },
    });
  });

  it("gets a connection without its keys", async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: "CONN#c1", sk: "CONN", type: "connection", connectionId: "c1", ownerId: "o1", connectedAt: "t", expiresAt: 1 } });
    expect(await store.get("c1")).toEqual({ connectionId: "c1", ownerId: "o1", connectedAt: "t" });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "CONN#c1", sk: "CONN" } });
  });

  it("subscribes under the job's partition, indexed by connection, expiring a day later", async () => {
    ddb.on(PutCommand).resolves({});
    await store.subscribe("c1", "j1", AT);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Item: { pk: "JOB#j1", sk: "SUB#c1", gsi1pk: "CONN#c1", gsi1sk: "SUB#j1", type: "subscription", connectionId: "c1", jobId: "j1", subscribedAt: AT.toISOString(), expiresAt: DAY_LATER },
    });
  });

  it("unsubscribes by deleting that one item", async () => {
    ddb.on(DeleteCommand).resolves({});
    await store.unsubscribe("c1", "j1");
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "JOB#j1", sk: "SUB#c1" } });
  });

  it("lists subscribers across every page of the job's SUB# items, with a consistent read", async () => {
    // Prepare
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ connectionId: "c1" }], LastEvaluatedKey: { pk: "JOB#j1", sk: "SUB#c1" } })
      .resolvesOnce({ Items: [{ connectionId: "c2" }] });
    // Act
    const ids = await store.subscribers("j1");
    // Assess
    expect(ids).toEqual(["c1", "c2"]);
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toEqual({
      TableName: "tn",
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sub)",
      ExpressionAttributeValues: { ":pk": "JOB#j1", ":sub": "SUB#" },
      ProjectionExpression: "connectionId",
      ConsistentRead: true,
      ExclusiveStartKey: undefined,
    });
    expect(second?.ExclusiveStartKey).toEqual({ pk: "JOB#j1", sk: "SUB#c1" });
  });

  it("removes the connection and its subscriptions in batches of 25, retrying unprocessed items once", async () => {
    // Prepare: 30 subscriptions found through gsi1.
    const subs = Array.from({ length: 30 }, (_, i) => ({ pk: `JOB#j${i}`, sk: "SUB#c1" }));
    ddb.on(QueryCommand).resolves({ Items: subs });
    const unprocessed = { tn: [{ DeleteRequest: { Key: subs[0]! } }] };
    ddb.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: unprocessed }).resolves({});
    // Act
    await store.remove("c1");
    // Assess
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :conn",
      ExpressionAttributeValues: { ":conn": "CONN#c1" },
      ProjectionExpression: "pk, sk",
    });
    const batches = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!);
    expect(batches.map((b) => Object.values(b)[0]!.length)).toEqual([25, 1, 6]);
    expect(batches[0]!.tn![0]).toEqual({ DeleteRequest: { Key: { pk: "CONN#c1", sk: "CONN" } } });
    expect(batches[1]).toEqual(unprocessed);
    const deleted = [...batches[0]!.tn!, ...batches[2]!.tn!].map((r) => r.DeleteRequest!.Key);
    expect(deleted).toEqual([{ pk: "CONN#c1", sk: "CONN" }, ...subs]);
  });
});
