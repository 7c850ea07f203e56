import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiKeyRecord, ApiKeyStore } from "@tensornode/core";
import type { TableRef } from "./client.js";
import { keys } from "./keys.js";

/** API keys by the SHA-256 of their secret; the secret itself is never written anywhere. */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(private readonly table: TableRef) {}

  async save(record: ApiKeyRecord): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...keys.apiKey(record.keyHash), ...keys.apiKeyByOwner(record.ownerId, record.createdAt), type: "apiKey", ...record },
      }),
    );
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.apiKey(keyHash) }));
    if (!Item) return null;
    const { keyId, ownerId, name, hint, status, createdAt } = Item;
    return { keyHash, keyId, ownerId, name, hint, status, createdAt };
  }
}
