import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { aScore } from "@tensornode/core/testing";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoScoreStore, createDocumentClient } from "../../src/index.js";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoScoreStore({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const score = aScore({ epoch: 480_000, validatorId: "0.0.7", minerId: "0.0.10" });

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoScoreStore", () => {
  it("keys a submission by epoch (zero-padded), validator and miner, so a resubmission overwrites", async () => {
    ddb.on(PutCommand).resolves({});
    await store.save(score);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Item: { pk: "EPOCH#000000480000", sk: "SCORE#0.0.7#0.0.10", type: "score", ...score },
    });
  });

  it("lists an epoch's SCORE# items consistently, across pages, without keys", async () => {
    // Prepare
    const item = { pk: "EPOCH#000000480000", sk: "SCORE#0.0.7#0.0.10", type: "score", ...score };
    ddb.on(QueryCommand).resolvesOnce({ Items: [item], LastEvaluatedKey: { pk: item.pk, sk: item.sk } }).resolvesOnce({ Items: [item] });
    // Act
    const listed = await store.listForEpoch(480_000);
    // Assess
    expect(listed).toEqual([score, score]);
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toEqual({
      TableName: "tn",
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :score)",
      ExpressionAttributeValues: { ":pk": "EPOCH#000000480000", ":score": "SCORE#" },
      ConsistentRead: true,
      ExclusiveStartKey: undefined,
    });
    expect(second?.ExclusiveStartKey).toEqual({ pk: item.pk, sk: item.sk });
  });
});
