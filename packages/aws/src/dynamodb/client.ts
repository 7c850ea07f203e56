import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";

/**
 * The document client every store uses. Endpoints come from the standard SDK configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally), so no store knows where it runs.
 * `removeUndefinedValues` lets optional fields stay optional in the domain types.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...config }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    // Money is stored as DynamoDB numbers (38 digits). Integers beyond 2^53 come back as bigint
    // instead of throwing; read money fields with `BigInt(value)`, which takes both.
    unmarshallOptions: { wrapNumbers: exactNumber },
  });
}

function exactNumber(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) || !/^-?\d+$/.test(text) ? value : BigInt(text);
}

/** What every store needs: the client and the single table's name. */
export interface TableRef {
  client: DynamoDBDocumentClient;
  tableName: string;
}

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === "ConditionalCheckFailedException" ||
    (error.name === "TransactionCanceledException" && /ConditionalCheckFailed/.test(error.message)));

/** Runs a query to the end, following `LastEvaluatedKey` page by page. */
export async function queryAll(table: TableRef, input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
