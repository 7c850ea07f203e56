import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Table, type Stack } from "sst/constructs";
import { TABLE_DEFINITION } from "../packages/aws/src/dynamodb/table-definition";

/**
 * The single DynamoDB table, built from `TABLE_DEFINITION` (the same definition DynamoDB Local
 * uses), so production and the local runtime cannot drift apart.
 */
export function createTable(stack: Stack): Table {
  const index = TABLE_DEFINITION.globalIndexes[0];
  const keyAttributes = [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey, index.partitionKey, index.sortKey];
  const production = stack.stage === "prod";

  return new Table(stack, "Table", {
    fields: Object.fromEntries(keyAttributes.map((name) => [name, "string" as const])),
    primaryIndex: { partitionKey: TABLE_DEFINITION.partitionKey, sortKey: TABLE_DEFINITION.sortKey },
    globalIndexes: Object.fromEntries(
      TABLE_DEFINITION.globalIndexes.map((gsi) => [gsi.indexName, { partitionKey: gsi.partitionKey, sortKey: gsi.sortKey }]),
    ),
    timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
    cdk: {
      table: {
        // SST passes the deprecated `pointInTimeRecovery: true` itself; CDK refuses both props at
        // once, so clear it and use the current form.
        pointInTimeRecovery: undefined,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // SST's default, spelled out: on-demand capacity.
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        // Keep production data when the stack is removed; throwaway stages clean up after themselves.
        removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        deletionProtection: production,
      },
    },
  });
}
