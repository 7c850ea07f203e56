import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Connection, ConnectionStore } from "@tensornode/core";
import { queryAll, type TableRef } from "./client.js";
import { DAY_SECONDS, keys, ttlAfter } from "./keys.js";

/**
 * API Gateway closes WebSocket connections after 2 hours at most, and `$disconnect` is best
 * effort, so connection and subscription items expire on their own a day later.
 */
const CONNECTION_TTL_SECONDS = DAY_SECONDS;

export class DynamoConnectionStore implements ConnectionStore {
  constructor(private readonly table: TableRef) {}

  async save(connection: Connection): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...keys.connection(connection.connectionId), type: "connection", ...connection, expiresAt: ttlAfter(new Date(connection.connectedAt), CONNECTION_TTL_SECONDS) },
      }),
    );
  }

  async get(connectionId: string): Promise<Connection | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.connection(connectionId) }));
    return Item ? { connectionId: Item.connectionId, ownerId: Item.ownerId, connectedAt: Item.connectedAt, ...(Item.keyHash && { keyHash: Item.keyHash }) } : null;
  }

  async remove(connectionId: string): Promise<void> {
    const subscriptions = await this.subscriptionKeys(connectionId);
    const deletes = [keys.connection(connectionId), ...subscriptions].map((Key) => ({ DeleteRequest: { Key } }));
    // BatchWriteItem takes 25 requests at most; unprocessed items are retried once, then left to TTL.
    for (let i = 0; i < deletes.length; i += 25) {
      const { UnprocessedItems } = await this.table.client.send(new BatchWriteCommand({ RequestItems: { [this.table.tableName]: deletes.slice(i, i + 25) } }));
      if (UnprocessedItems && Object.keys(UnprocessedItems).length) await this.table.client.send(new BatchWriteCommand({ RequestItems: UnprocessedItems }));
    }
  }

  async subscribe(connectionId: string, jobId: string, at: Date): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.subscription(jobId, connectionId),
          ...keys.subscriptionByConnection(connectionId, jobId),
          type: "subscription",
          connectionId,
          jobId,
          subscribedAt: at.toISOString(),
          expiresAt: ttlAfter(at, CONNECTION_TTL_SECONDS),
        },
      }),
    );
  }

  async unsubscribe(connectionId: string, jobId: string): Promise<void> {
    await this.table.client.send(new DeleteCommand({ TableName: this.table.tableName, Key: keys.subscription(jobId, connectionId) }));
  }

  async subscribers(jobId: string): Promise<string[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sub)",
      ExpressionAttributeValues: { ":pk": keys.job(jobId).pk, ":sub": "SUB#" },
      ProjectionExpression: "connectionId",
      // Strongly consistent: a subscription written just before the job finished must be seen.
      ConsistentRead: true,
    });
    return items.map((item) => item.connectionId as string);
  }

  private async subscriptionKeys(connectionId: string) {
    const items = await queryAll(this.table, {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :conn",
      ExpressionAttributeValues: { ":conn": keys.subscriptionByConnection(connectionId, "").gsi1pk },
      ProjectionExpression: "pk, sk",
    });
    return items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  }
}
