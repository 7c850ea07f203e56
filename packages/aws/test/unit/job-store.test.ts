import { GetCommand, PutCommand, UpdateCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DomainError } from "@tensornode/core";
import { aJob } from "@tensornode/core/testing";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoJobStore, createDocumentClient } from "../../src/index.js";
import { conditionFailed, throttled } from "./aws-errors.js";

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoJobStore({ client: createDocumentClient({ region: "us-east-1" }), tableName: "tn" });
const AT = new Date("2030-01-01T00:00:05.000Z");
const job = aJob({ id: "job_1", ownerId: "owner_1", createdAt: "2030-01-01T00:00:00.000Z", updatedAt: "2030-01-01T00:00:00.000Z" });
const { input: _input, ...jobFields } = job;
/** Input and result are stored as JSON text (a DynamoDB map cannot hold every JSON value). */
const item = { pk: "JOB#job_1", sk: "JOB", gsi1pk: "OWNER#owner_1", gsi1sk: "JOB#2030-01-01T00:00:00.000Z#job_1", type: "job", ...jobFields, inputJson: JSON.stringify(job.input), expiresAt: 1_893_456_000 + 30 * 86_400 };

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe("DynamoJobStore.create", () => {
  it("puts the job with its keys, owner index and 30-day TTL, only if the id is free", async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    // Act
    await store.create(job);
    // Assess
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: "tn",
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      },
    ]);
  });

  it("turns a failed condition into a conflict", async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    const creating = store.create(job);
    await expect(creating).rejects.toBeInstanceOf(DomainError);
    await expect(creating).rejects.toMatchObject({ code: "conflict" });
  });

  it("passes other errors through", async () => {
    ddb.on(PutCommand).rejects(throttled());
    await expect(store.create(job)).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
  });
});

describe("DynamoJobStore.get", () => {
  it("reads consistently and returns only the job's fields", async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await store.get("job_1")).toEqual(job);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: "tn", Key: { pk: "JOB#job_1", sk: "JOB" }, ConsistentRead: true });
  });

  it("returns null when there is no item", async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store.get("job_1")).toBeNull();
  });
});

describe("DynamoJobStore.startAttempt", () => {
  it("sets running and adds one attempt, only for an existing queued or running job", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, status: "running", attempts: 1, updatedAt: AT.toISOString() } });
    // Act
    const started = await store.startAttempt("job_1", AT);
    // Assess
    expect(started).toEqual({ ...job, status: "running", attempts: 1, updatedAt: AT.toISOString() });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: "tn",
      Key: { pk: "JOB#job_1", sk: "JOB" },
      UpdateExpression: "SET #status = :running, updatedAt = :at ADD attempts :one",
      ConditionExpression: "attribute_exists(pk) AND #status IN (:queued, :running)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":running": "running", ":queued": "queued", ":at": AT.toISOString(), ":one": 1 },
      ReturnValues: "ALL_NEW",
    });
  });

  it("returns null when the condition fails (missing or finished job)", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.startAttempt("job_1", AT)).toBeNull();
  });

  it("passes other errors through", async () => {
    ddb.on(UpdateCommand).rejects(throttled());
    await expect(store.startAttempt("job_1", AT)).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
  });
});

describe("DynamoJobStore.complete", () => {
  const conditional = {
    TableName: "tn",
    Key: { pk: "JOB#job_1", sk: "JOB" },
    UpdateExpression: "SET #status = :status, #detail = :detail, updatedAt = :at, completedAt = :at",
    ConditionExpression: "attribute_exists(pk) AND #status IN (:queued, :running)",
    ReturnValues: "ALL_NEW",
  };

  it("writes a success's result (null when absent) under the same condition as startAttempt", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, status: "succeeded", resultJson: "null" } });
    expect(await store.complete("job_1", { status: "succeeded", result: undefined }, AT)).toMatchObject({ status: "succeeded", result: null, input: job.input });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      ...conditional,
      ExpressionAttributeNames: { "#status": "status", "#detail": "resultJson" },
      ExpressionAttributeValues: { ":status": "succeeded", ":detail": "null", ":at": AT.toISOString(), ":queued": "queued", ":running": "running" },
    });
  });

  it("keeps JSON a DynamoDB map could not hold (integers beyond 2^53) exactly, as text", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, status: "succeeded", resultJson: '{"n":9007199254740993}' } });
    await store.complete("job_1", { status: "succeeded", result: { n: 2 ** 53 } }, AT);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues![":detail"]).toBe('{"n":9007199254740992}');
  });

  it("writes a failure's error", async () => {
    const error = { code: "execution_failed", message: "m" };
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, status: "failed", error } });
    expect(await store.complete("job_1", { status: "failed", error }, AT)).toMatchObject({ status: "failed", error });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      ExpressionAttributeNames: { "#status": "status", "#detail": "error" },
      ExpressionAttributeValues: { ":status": "failed", ":detail": error },
    });
  });

  it("returns null when the job was already finished or is missing", async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.complete("job_1", { status: "succeeded", result: 1 }, AT)).toBeNull();
  });
});
