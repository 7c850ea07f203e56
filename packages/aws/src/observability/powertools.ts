import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics as PowertoolsMetrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Logger, Metrics } from "@tensornode/core";

/**
 * One logger and one metrics instance per process (per Lambda container), as Powertools
 * recommends: handlers add the request or job ids as keys, the core logs through the port.
 * Output is JSON on stdout (CloudWatch Logs in AWS, the terminal locally); metrics use
 * CloudWatch's embedded metric format, so the same lines become metrics in AWS.
 */
export const powertoolsLogger = new PowertoolsLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "tensornode" });
export const powertoolsMetrics = new PowertoolsMetrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "TensorNode",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "tensornode",
});

/** The core's Logger port over Powertools. */
export const coreLogger = (logger: PowertoolsLogger = powertoolsLogger): Logger => ({
  debug: (message, attributes) => logger.debug(message, attributes ?? {}),
  info: (message, attributes) => logger.info(message, attributes ?? {}),
  warn: (message, attributes) => logger.warn(message, attributes ?? {}),
  error: (message, attributes) => logger.error(message, attributes ?? {}),
});

/** The core's Metrics port over Powertools (flushed by the `logMetrics` middleware per invocation). */
export const coreMetrics = (metrics: PowertoolsMetrics = powertoolsMetrics): Metrics => ({
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
  milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
});
