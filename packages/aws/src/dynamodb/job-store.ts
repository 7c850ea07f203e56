import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DomainError, type Job, type JobOutcome, type JobStore } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { DAY_SECONDS, keys, ttlAfter } from "./keys.js";

/** Jobs are kept 30 days after submission, then DynamoDB's TTL removes them. */
export const JOB_RETENTION_SECONDS = 30 * DAY_SECONDS;

const JOB_FIELDS = ["id", "ownerId", "kind", "status", "error", "attempts", "createdAt", "updatedAt", "completedAt", "billing"] as const;

/**
 * A job's input and result are whatever JSON a client sent or a miner answered, so they are stored
 * as JSON text: a DynamoDB map cannot hold every JSON value (integers beyond 2^53, for one).
 */
const JSON_FIELDS = { input: "inputJson", result: "resultJson" } as const;

export class DynamoJobStore implements JobStore {
  constructor(private readonly table: TableRef) {}

  async create(job: Job): Promise<void> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...keys.job(job.id),
            ...keys.jobByOwner(job.ownerId, job.createdAt, job.id),
            type: "job",
            ...withoutJsonFields(job),
            [JSON_FIELDS.input]: JSON.stringify(job.input ?? null),
            expiresAt: ttlAfter(new Date(job.createdAt), JOB_RETENTION_SECONDS),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new DomainError("conflict", `Job ${job.id} already exists.`);
      throw error;
    }
  }

  async get(jobId: string): Promise<Job | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.job(jobId), ConsistentRead: true }));
    return Item ? toJob(Item) : null;
  }

  async startAttempt(jobId: string, at: Date): Promise<Job | null> {
    try {
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.job(jobId),
          UpdateExpression: "SET #status = :running, updatedAt = :at ADD attempts :one",
          ConditionExpression: "attribute_exists(pk) AND #status IN (:queued, :running)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":running": "running", ":queued": "queued", ":at": at.toISOString(), ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes ? toJob(Attributes) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  async complete(jobId: string, outcome: JobOutcome, at: Date): Promise<Job | null> {
    const iso = at.toISOString();
    const detail = outcome.status === "succeeded" ? { field: JSON_FIELDS.result, value: JSON.stringify(outcome.result ?? null) } : { field: "error", value: outcome.error };
    try {
      const { Attributes } = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.job(jobId),
          UpdateExpression: "SET #status = :status, #detail = :detail, updatedAt = :at, completedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND #status IN (:queued, :running)",
          ExpressionAttributeNames: { "#status": "status", "#detail": detail.field },
          ExpressionAttributeValues: { ":status": outcome.status, ":detail": detail.value, ":at": iso, ":queued": "queued", ":running": "running" },
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes ? toJob(Attributes) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }
}

/** Picks the domain fields back out of an item, dropping keys and bookkeeping attributes. */
function toJob(item: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const field of JOB_FIELDS) if (item[field] !== undefined) job[field] = item[field];
  for (const [field, attribute] of Object.entries(JSON_FIELDS)) {
    // Items written before JSON text was used hold the value itself.
    if (typeof item[attribute] === "string") job[field] = JSON.parse(item[attribute] as string);
    else if (item[field] !== undefined) job[field] = item[field];
  }
  return job as unknown as Job;
}

function withoutJsonFields(job: Job): Omit<Job, "input" | "result"> {
  const { input: _input, result: _result, ...rest } = job;
  return rest;
}
