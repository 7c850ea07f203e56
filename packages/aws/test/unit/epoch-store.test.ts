import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoEpochStore, createDocumentClient } from "../../src/index.js";
import { conditionFailed, throttled, transactionCanceled } from "./aws-errors.js";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoEpochStore({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const epoch7 = { epoch: 7, startsAt: "1970-01-01T07:00:00.000Z", endsAt: "1970-01-01T08:00:00.000Z", closedAt: "2030-01-01T00:00:00.000Z" };
const tally = { epoch: 7, miners: [], talliedAt: "2030-01-01T00:00:00.000Z" };

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoEpochStore.lastClosed", () => {
  it("reads the pointer item consistently", async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: "EPOCH", sk: "LAST_CLOSED", epoch: 7 } });
    expect(await store.lastClosed()).toBe(7);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "EPOCH", sk: "LAST_CLOSED" }, ConsistentRead: true });
  });

  it("is null without a pointer", async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store.lastClosed()).toBeNull();
  });
});

describe("DynamoEpochStore.close", () => {
  const epochPut = {
    Put: { TableName: "tn", Item: { pk: "EPOCH#000000000007", sk: "EPOCH", type: "epoch", ...epoch7 }, ConditionExpression: "attribute_not_exists(pk)" },
  };
  const pointerItem = { pk: "EPOCH", sk: "LAST_CLOSED", type: "epochPointer", epoch: 7, closedAt: epoch7.closedAt };

  it("writes the epoch and moves the pointer from `previous` in one transaction", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.close(epoch7, 6)).toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input).toEqual({
      TransactItems: [epochPut, { Put: { TableName: "tn", Item: pointerItem, ConditionExpression: "epoch = :previous", ExpressionAttributeValues: { ":previous": 6 } } }],
    });
  });

  it("creates the pointer only if none exists when there is no previous epoch", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store.close(epoch7, null);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]).toEqual({
      Put: { TableName: "tn", Item: pointerItem, ConditionExpression: "attribute_not_exists(pk)" },
    });
  });

  it.each([
    ["the pointer moved", ["None", "ConditionalCheckFailed"]],
    ["the epoch is already closed", ["ConditionalCheckFailed", "None"]],
  ])("returns false when %s", async (_, reasons) => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled(...reasons));
    expect(await store.close(epoch7, 6)).toBe(false);
  });

  it("passes a cancellation for another reason through", async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled("None", "TransactionConflict"));
    await expect(store.close(epoch7, 6)).rejects.toMatchObject({ name: "TransactionCanceledException" });
  });
});

describe("DynamoEpochStore tallies", () => {
  it("stores a tally under EPOCH#<n>/TALLY only if none exists", async () => {
    ddb.on(PutCommand).resolves({});
    expect(await store.saveTally(tally)).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Item: { pk: "EPOCH#000000000007", sk: "TALLY", type: "tally", ...tally },
      ConditionExpression: "attribute_not_exists(pk)",
    });
  });

  it("returns false when the tally exists, and rethrows anything else", async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).rejectsOnce(throttled());
    expect(await store.saveTally(tally)).toBe(false);
    await expect(store.saveTally(tally)).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
  });

  it("reads a tally back without its keys", async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: "EPOCH#000000000007", sk: "TALLY", type: "tally", ...tally } });
    expect(await store.getTally(7)).toEqual(tally);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "EPOCH#000000000007", sk: "TALLY" } });
  });
});
