import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { MinerDirectory, MinerHealth, MinerRecord } from "@tensornode/core";
import { queryAll, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/** Registered miners, listed through gsi1 (`MINERS`). Registration itself arrives with the miners issue. */
export class DynamoMinerDirectory implements MinerDirectory {
  constructor(private readonly table: TableRef) {}

  async list(): Promise<MinerRecord[]> {
    const items = await queryAll(this.table, { IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :m", ExpressionAttributeValues: { ":m": "MINERS" } });
    return items.map((i) => ({ minerId: i.minerId as string, endpoint: i.endpoint as string, ...(i.health ? { health: i.health as MinerHealth } : {}) }));
  }

  /** Adds or replaces a miner listing (used by registration and by tests). */
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
