import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { JobProgress, JobProgressStore } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/**
 * Job progress as the `progress` attribute of the job item (`JOB#id/JOB`): it shares the job's TTL,
 * costs no extra item, and DynamoJobStore's reads leave it out (it picks the job's own fields).
 */
export class DynamoJobProgressStore implements JobProgressStore {
  constructor(private readonly table: TableRef) {}

  async record(jobId: string, progress: JobProgress): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.job(jobId),
          UpdateExpression: "SET progress = :progress",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":progress": progress },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(jobId: string): Promise<JobProgress | null> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.job(jobId), ConsistentRead: true, ProjectionExpression: "progress" }),
    );
    return (Item?.progress as JobProgress | undefined) ?? null;
  }
}
