import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/** The errors DynamoDB returns, built as the SDK builds them (so `name` and `message` are real). */
export const conditionFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });

export const transactionCanceled = (...reasons: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(", ")}]`,
    CancellationReasons: reasons.map((Code) => ({ Code })),
    $metadata: {},
  });

/** Any other failure: must reach the caller unchanged. */
export const throttled = () => Object.assign(new Error("Rate of requests exceeds the allowed throughput."), { name: "ProvisionedThroughputExceededException" });
