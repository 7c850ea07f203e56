import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { powertoolsLogger, powertoolsMetrics } from "@tensornode/aws";
import type { Context } from "aws-lambda";

/**
 * Wraps a Lambda handler with the observability every entry point gets: the Lambda context and
 * request id on every log line (keys reset between invocations), and metrics flushed in
 * CloudWatch's embedded metric format at the end of each invocation.
 */
export function lambda<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler)
    .use(injectLambdaContext(powertoolsLogger, { resetKeys: true }))
    .use(logMetrics(powertoolsMetrics, { throwOnEmptyMetrics: false }));
}

export { powertoolsLogger as logger };
