import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimitStore } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/** A race with another instance's claim: re-read and try again, a few times. */
const MAX_EXACT_ATTEMPTS = 5;

/**
 * One item per key and minute window counting the requests claimed from it. A claim is one
 * conditional ADD while the window has room for it; only near the limit does it read the count
 * and take exactly what is left, conditioned on the count it read. The items expire (TTL) two
 * minutes after their window.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  constructor(private readonly table: TableRef) {}

  async claim(key: string, windowStart: number, want: number, limit: number): Promise<number> {
    if (want <= 0 || limit <= 0) return 0;
    const item = keys.rateWindow(key, windowStart);
    const expiresAt = Math.floor(windowStart / 1000) + 180;
    if (want <= limit && (await this.#add(item, want, expiresAt, "attribute_not_exists(#used) OR #used <= :room", { ":room": limit - want }))) return want;
    for (let attempt = 0; attempt < MAX_EXACT_ATTEMPTS; attempt++) {
      const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: item, ConsistentRead: true }));
      const used = Item ? Number(Item.used) : 0;
      const left = Math.min(want, limit - used);
      if (left <= 0) return 0;
      const condition = Item ? "#used = :seen" : "attribute_not_exists(#used)";
      if (await this.#add(item, left, expiresAt, condition, Item ? { ":seen": used } : {})) return left;
    }
    // Not "used up": the caller treats a failure as the store being unavailable (and fails open).
    throw new Error(`rate window ${item.pk} ${item.sk} stayed contended for ${MAX_EXACT_ATTEMPTS} attempts`);
  }

  async #add(item: Record<string, string>, count: number, expiresAt: number, condition: string, values: Record<string, number>): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: item,
          UpdateExpression: "SET #type = :type, expiresAt = :expiresAt ADD #used :count",
          ConditionExpression: condition,
          ExpressionAttributeNames: { "#used": "used", "#type": "type" },
          ExpressionAttributeValues: { ":type": "rateWindow", ":expiresAt": expiresAt, ":count": count, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
