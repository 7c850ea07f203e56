import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { anApiKeyRecord } from "@tensornode/core/testing";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoApiKeyStore, createDocumentClient } from "../../src/index.js";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoApiKeyStore({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const record = anApiKeyRecord({ keyHash: "ab12", ownerId: "o1", createdAt: "2030-01-01T00:00:00.000Z" });

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoApiKeyStore", () => {
  it("saves a key under APIKEY#<hash>, listed under its owner, without touching the spent total", async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.save({ ...record, spentTinybars: "99" });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ pk: "APIKEY#ab12", sk: "APIKEY" });
    const written = Object.fromEntries(Object.entries(input.ExpressionAttributeNames!).map(([alias, name]) => [name, input.ExpressionAttributeValues![alias.replace("#f", ":v")]]));
    expect(written).toEqual({ gsi1pk: "OWNER#o1", gsi1sk: "APIKEY#2030-01-01T00:00:00.000Z", type: "apiKey", ...record });
    expect(input.UpdateExpression).not.toContain("spentTinybars");
  });

  it("finds a key by hash and returns only the record's fields", async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: "APIKEY#ab12", sk: "APIKEY", gsi1pk: "OWNER#o1", type: "apiKey", ...record } });
    expect(await store.findByHash("ab12")).toEqual(record);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "APIKEY#ab12", sk: "APIKEY" } });
  });

  it("returns null for an unknown hash", async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store.findByHash("ab12")).toBeNull();
  });
});
