import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiKeyRecord, ApiKeyStore } from "@tensornode/core";
import { queryAll, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/**
 * API keys by the SHA-256 of their secret; the secret itself is never written anywhere.
 * `spentTinybars` is a number attribute that only the usage ledger's transaction adds to; saving
 * a record (revocation) never overwrites it.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(private readonly table: TableRef) {}

  async save(record: ApiKeyRecord): Promise<void> {
    const { spentTinybars: _spent, ...fields } = record;
    const item: Record<string, unknown> = { ...keys.apiKeyByOwner(record.ownerId, record.createdAt), type: "apiKey", ...fields };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(item).map(([name, value], index) => {
      names[`#f${index}`] = name;
      values[`:v${index}`] = value;
      return `#f${index} = :v${index}`;
    });
    // An update, not a put: the spent total the usage ledger keeps on the same item must survive.
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.apiKey(record.keyHash),
        UpdateExpression: `SET ${sets.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.apiKey(keyHash) }));
    return Item ? toRecord(Item) : null;
  }

  async listByOwner(ownerId: string): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.table, {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :owner AND begins_with(gsi1sk, :prefix)",
      ExpressionAttributeValues: { ":owner": `OWNER#${ownerId}`, ":prefix": "APIKEY#" },
      ScanIndexForward: false,
    });
    // The index is eventually consistent: read each key itself for its current status and spend.
    const records = await Promise.all(items.map((item) => this.findByHash(String(item.keyHash))));
    return records.filter((record): record is ApiKeyRecord => record !== null);
  }
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { revokedAt, rateLimitPerMinute, spendLimitTinybars, spentTinybars } = item;
  return {
    keyHash: String(item.keyHash),
    keyId: String(item.keyId),
    ownerId: String(item.ownerId),
    name: String(item.name),
    hint: String(item.hint),
    status: item.status as ApiKeyRecord["status"],
    createdAt: String(item.createdAt),
    ...(revokedAt !== undefined && { revokedAt: String(revokedAt) }),
    ...(rateLimitPerMinute !== undefined && { rateLimitPerMinute: Number(rateLimitPerMinute) }),
    ...(spendLimitTinybars !== undefined && { spendLimitTinybars: String(spendLimitTinybars) }),
    ...(spentTinybars !== undefined && { spentTinybars: String(spentTinybars) }),
  };
}
