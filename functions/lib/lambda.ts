import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { powertoolsLogger, powertoolsMetrics } from "@tensornode/aws";
import type { Context } from "aws-lambda";

/**
 * Flushes the invocation's metrics (CloudWatch embedded metric format) after it ends, also when it
 * fails. Unlike Powertools' `logMetrics`, an invocation that recorded nothing prints nothing,
 * instead of a "No application metrics to publish" warning per request.
 */
const flushMetrics = (): middy.MiddlewareObj => {
  const flush = async () => {
    if (powertoolsMetrics().hasStoredMetrics()) powertoolsMetrics().publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

/**
 * Wraps a Lambda handler with the observability every entry point gets: the Lambda context and
 * request id on every log line (keys reset between invocations), and metrics flushed per invocation.
 */
export function lambda<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(injectLambdaContext(powertoolsLogger(), { resetKeys: true })).use(flushMetrics());
}

/** The process's Powertools logger, for entry points that add keys around a record. */
export const logger = {
  appendKeys: (attributes: Record<string, unknown>) => powertoolsLogger().appendKeys(attributes),
  removeKeys: (keys: string[]) => powertoolsLogger().removeKeys(keys),
  info: (message: string, attributes: Record<string, unknown> = {}) => powertoolsLogger().info(message, attributes),
  warn: (message: string, attributes: Record<string, unknown> = {}) => powertoolsLogger().warn(message, attributes),
  error: (message: string, attributes: Record<string, unknown> = {}) => powertoolsLogger().error(message, attributes),
};
