/**
 * The single table's key schema, shared by the SST stack (production) and the local runtime
 * (DynamoDB Local), so both worlds create exactly the same table.
 *
 * Items use generic keys: `pk`/`sk` for the item itself and `gsi1pk`/`gsi1sk` for the one
 * secondary access pattern each entity needs. `expiresAt` (epoch seconds) is the TTL attribute.
 * See `keys.ts` for what each entity writes into them.
 */
export const TABLE_DEFINITION = {
  partitionKey: "pk",
  sortKey: "sk",
  globalIndexes: [{ indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" }],
  timeToLiveAttribute: "expiresAt",
} as const;

/** `CreateTable` input for DynamoDB Local and tests (production uses the SST `Table` construct). */
export function createTableInput(tableName: string) {
  const index = TABLE_DEFINITION.globalIndexes[0];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: ["pk", "sk", "gsi1pk", "gsi1sk"].map((name) => ({ AttributeName: name, AttributeType: "S" as const })),
    KeySchema: [
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: "HASH" as const },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" as const },
          { AttributeName: index.sortKey, KeyType: "RANGE" as const },
        ],
        Projection: { ProjectionType: "ALL" as const },
      },
    ],
  };
}
