import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { MAX_CHARGE_BATCH, type UsageLedger, type UsageRecord } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/**
 * Usage records and the debit they cause, written in ONE transaction: the records (only if their
 * ids are new), the accounts' balances and the keys' spent totals. A retried charge fails the record's
 * condition and so changes nothing: a request is never charged twice, and never half-charged.
 */
export class DynamoUsageLedger implements UsageLedger {
  constructor(private readonly table: TableRef) {}

  async charge(record: UsageRecord): Promise<"charged" | "duplicate"> {
    try {
      await this.#transact([record]);
      return "charged";
    } catch (error) {
      if (isConditionFailure(error) && (await this.#exists(record.id))) return "duplicate";
      throw error;
    }
  }

  async chargeBatch(records: UsageRecord[]): Promise<"charged" | "conflict"> {
    if (records.length > MAX_CHARGE_BATCH) throw new RangeError(`at most ${MAX_CHARGE_BATCH} records per batch`);
    try {
      await this.#transact(records);
      return "charged";
    } catch (error) {
      if (isConditionFailure(error)) return "conflict";
      throw error;
    }
  }

  /**
   * One transaction: each record put only if its id is new, then one update per account and per
   * key (a transaction may touch an item only once) with the sums of their records' costs.
   */
  async #transact(records: UsageRecord[]): Promise<void> {
    const byAccount = new Map<string, bigint>();
    const byKey = new Map<string, bigint>();
    for (const record of records) {
      byAccount.set(record.ownerId, (byAccount.get(record.ownerId) ?? 0n) + record.cost);
      byKey.set(record.keyHash, (byKey.get(record.keyHash) ?? 0n) + record.cost);
    }
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          ...records.map((record) => ({
            Put: {
              TableName: this.table.tableName,
              Item: { ...keys.usage(record.id), ...keys.usageByOwner(record.ownerId, record.createdAt, record.id), type: "usage", ...record },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          })),
          ...[...byAccount].map(([ownerId, cost]) => ({
            Update: { TableName: this.table.tableName, Key: keys.account(ownerId), UpdateExpression: "ADD balanceTinybars :debit", ExpressionAttributeValues: { ":debit": -cost } },
          })),
          ...[...byKey].map(([keyHash, cost]) => ({
            Update: {
              TableName: this.table.tableName,
              Key: keys.apiKey(keyHash),
              UpdateExpression: "ADD spentTinybars :cost",
              ConditionExpression: "attribute_exists(pk)",
              ExpressionAttributeValues: { ":cost": cost },
            },
          })),
        ],
      }),
    );
  }

  async listByOwner(ownerId: string, options: { limit: number; before?: string }): Promise<UsageRecord[]> {
    let upper = "USAGE#\uffff";
    if (options.before) {
      const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.usage(options.before) }));
      if (!Item || Item.ownerId !== ownerId) return [];
      upper = String(Item.gsi1sk);
    }
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :owner AND gsi1sk BETWEEN :lower AND :upper",
        ExpressionAttributeValues: { ":owner": `OWNER#${ownerId}`, ":lower": "USAGE#", ":upper": upper },
        ScanIndexForward: false,
        Limit: options.limit + 1,
      }),
    );
    return Items.filter((item) => item.gsi1sk !== upper || !options.before)
      .slice(0, options.limit)
      .map(toRecord);
  }

  async #exists(usageId: string): Promise<boolean> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.usage(usageId), ConsistentRead: true }));
    return Item !== undefined;
  }
}

function toRecord(item: Record<string, unknown>): UsageRecord {
  return {
    id: String(item.id),
    ownerId: String(item.ownerId),
    keyId: String(item.keyId),
    keyHash: String(item.keyHash),
    operation: String(item.operation),
    model: String(item.model),
    modality: item.modality as UsageRecord["modality"],
    minerId: String(item.minerId),
    unit: item.unit as UsageRecord["unit"],
    units: Number(item.units),
    pricePerUnit: BigInt(item.pricePerUnit as number | bigint),
    cost: BigInt(item.cost as number | bigint),
    source: item.source as UsageRecord["source"],
    createdAt: String(item.createdAt),
  };
}
