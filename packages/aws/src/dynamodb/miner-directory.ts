import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { MinerDirectory, MinerHealth, MinerRecord } from "@tensornode/core";
import { isConditionFailure, queryAll, type TableRef } from "./client.js";
import { keys } from "./keys.js";

const MINER_FIELDS = ["minerId", "endpoint", "models", "registeredAt", "lastHeartbeatAt", "health", "host"] as const;

/** Picks the domain fields out of an item (keys and bookkeeping attributes stay behind). */
function toMiner(item: Record<string, unknown>): MinerRecord {
  const miner: Record<string, unknown> = {};
  for (const field of MINER_FIELDS) if (item[field] !== undefined) miner[field] = item[field];
  return miner as unknown as MinerRecord;
}

/** Registered miners, listed through gsi1 (`MINERS`). */
export class DynamoMinerDirectory implements MinerDirectory {
  constructor(private readonly table: TableRef) {}

  async list(): Promise<MinerRecord[]> {
    const items = await queryAll(this.table, { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :m", ExpressionAttributeValues: { ":m": "MINERS" } });
    return items.map(toMiner);
  }

  async get(minerId: string): Promise<MinerRecord | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.miner(minerId), ConsistentRead: true }));
    return Item ? toMiner(Item) : null;
  }

  async touch(minerId: string, at: Date): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.miner(minerId),
          UpdateExpression: "SET lastHeartbeatAt = :at",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":at": at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async remove(minerId: string): Promise<void> {
    await this.table.client.send(new DeleteCommand({ TableName: this.table.tableName, Key: keys.miner(minerId) }));
  }

  async put(miner: MinerRecord): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.tableName, Item: { ...keys.miner(miner.minerId), ...keys.minerListing(miner.minerId), type: "miner", ...miner } }));
  }

  async recordHealth(minerId: string, health: MinerHealth): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.miner(minerId),
        UpdateExpression: "SET health = :health",
        // A miner deregistered while it was being probed stays deregistered.
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":health": health },
      }),
    ).catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
  }
}
