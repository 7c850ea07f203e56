import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { NonceStore } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/**
 * Signed-request nonces, one conditional put each: the write fails if the nonce exists, which is
 * the replay check. TTL removes them after the skew window (a stale timestamp is refused anyway).
 */
export class DynamoNonceStore implements NonceStore {
  constructor(private readonly table: TableRef) {}

  async remember(accountId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.nonce(accountId, nonce), type: "nonce", expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
