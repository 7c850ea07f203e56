import * as iam from "aws-cdk-lib/aws-iam";
import { Stack } from "aws-cdk-lib";
import type { Table, WebSocketApi } from "sst/constructs";

/**
 * Least-privilege IAM statements. SST's own shortcuts are deliberately not used: `bind: [table]`
 * or `permissions: [table]` grant `dynamodb:*`, `bind: [queue]` grants `sqs:*`.
 *
 * A fresh statement is built per call, so no statement object is shared between two roles.
 */

/** The item-level DynamoDB actions the adapters use, on the table and its indexes. No scans, no DDL. */
export const TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:Query",
  "dynamodb:BatchWriteItem",
  "dynamodb:TransactWriteItems",
  "dynamodb:ConditionCheckItem",
] as const;

export function tableAccess(table: Table): iam.PolicyStatement {
  return new iam.PolicyStatement({
    effect: iam.Effect.ALLOW,
    actions: [...TABLE_ACTIONS],
    resources: [table.tableArn, `${table.tableArn}/index/*`],
  });
}

/** `sqs:SendMessage` on exactly the given queue ARNs. Consumers get receive/delete rights from their event source mapping. */
export function sendTo(queueArns: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    effect: iam.Effect.ALLOW,
    actions: ["sqs:SendMessage"],
    resources: queueArns,
  });
}

/**
 * `execute-api:ManageConnections` (PostToConnection, GetConnection, DeleteConnection) on the
 * WebSocket API's connections in this stage only, i.e. the ARN
 * arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/ANY_METHOD/@connections/ANY_ID.
 * SST's `WebSocketApi` itself grants its route handlers the same action on API_ID, any stage.
 */
export function manageConnections(ws: WebSocketApi): iam.PolicyStatement {
  const stack = Stack.of(ws);
  return new iam.PolicyStatement({
    effect: iam.Effect.ALLOW,
    actions: ["execute-api:ManageConnections"],
    resources: [
      stack.formatArn({
        service: "execute-api",
        resource: ws.cdk.webSocketApi.apiId,
        resourceName: `${ws.cdk.webSocketStage.stageName}/*/@connections/*`,
      }),
    ],
  });
}
