import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { ClosedEpoch, EpochStore, EpochTally, ScoreStore, ScoreSubmission } from "@tensornode/core";
import { isConditionFailure, queryAll, type TableRef } from "./client.js";
import { epochPk, keys } from "./keys.js";

export class DynamoEpochStore implements EpochStore {
  constructor(private readonly table: TableRef) {}

  async lastClosed(): Promise<number | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.epochPointer(), ConsistentRead: true }));
    return typeof Item?.epoch === "number" ? Item.epoch : null;
  }

  async close(epoch: ClosedEpoch, previous: number | null): Promise<boolean> {
    // One transaction: the epoch record and the pointer move together or not at all; the
    // pointer's condition makes two concurrent cron runs race safely.
    const pointerCondition =
      previous === null
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : { ConditionExpression: "epoch = :previous", ExpressionAttributeValues: { ":previous": previous } };
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table.tableName, Item: { ...keys.epoch(epoch.epoch), type: "epoch", ...epoch }, ConditionExpression: "attribute_not_exists(pk)" } },
            { Put: { TableName: this.table.tableName, Item: { ...keys.epochPointer(), type: "epochPointer", epoch: epoch.epoch, closedAt: epoch.closedAt }, ...pointerCondition } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async saveTally(tally: EpochTally): Promise<boolean> {
    try {
      await this.table.client.send(
        new PutCommand({ TableName: this.table.tableName, Item: { ...keys.tally(tally.epoch), type: "tally", ...tally }, ConditionExpression: "attribute_not_exists(pk)" }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getTally(epoch: number): Promise<EpochTally | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.tally(epoch) }));
    return Item ? { epoch: Item.epoch, miners: Item.miners, talliedAt: Item.talliedAt } : null;
  }
}

export class DynamoScoreStore implements ScoreStore {
  constructor(private readonly table: TableRef) {}

  async save(s: ScoreSubmission): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.tableName, Item: { ...keys.score(s.epoch, s.validatorId, s.minerId), type: "score", ...s } }));
  }

  async listForEpoch(epoch: number): Promise<ScoreSubmission[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :score)",
      ExpressionAttributeValues: { ":pk": epochPk(epoch), ":score": "SCORE#" },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      epoch: i.epoch as number,
      validatorId: i.validatorId as string,
      minerId: i.minerId as string,
      quality: i.quality as number,
      latencyMs: i.latencyMs as number,
      available: i.available as boolean,
      submittedAt: i.submittedAt as string,
    }));
  }
}
