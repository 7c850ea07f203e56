import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics as PowertoolsMetrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Logger, Metrics } from "@tensornode/core";

/**
 * One logger and one metrics instance per process (per Lambda container), as Powertools
 * recommends: handlers add the request or job ids as keys, the core logs through the port.
 * Output is JSON on stdout (CloudWatch Logs in AWS, the terminal locally); metrics use
 * CloudWatch's embedded metric format, so the same lines become metrics in AWS.
 *
 * Built on first use rather than at import, so the environment (POWERTOOLS_LOG_LEVEL,
 * POWERTOOLS_METRICS_DISABLED, ...) is read when the first handler loads, not when a tool
 * merely imports this package.
 */
let logger: PowertoolsLogger | undefined;
let metrics: PowertoolsMetrics | undefined;

export const powertoolsLogger = (): PowertoolsLogger =>
  (logger ??= new PowertoolsLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "tensornode" }));

export const powertoolsMetrics = (): PowertoolsMetrics =>
  (metrics ??= new PowertoolsMetrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "TensorNode",
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "tensornode",
  }));

/** The core's Logger port over Powertools. */
export const coreLogger = (target: PowertoolsLogger = powertoolsLogger()): Logger => ({
  debug: (message, attributes) => target.debug(message, attributes ?? {}),
  info: (message, attributes) => target.info(message, attributes ?? {}),
  warn: (message, attributes) => target.warn(message, attributes ?? {}),
  error: (message, attributes) => target.error(message, attributes ?? {}),
});

/** The core's Metrics port over Powertools (flushed per invocation by the entry points' middleware). */
export const coreMetrics = (target: PowertoolsMetrics = powertoolsMetrics()): Metrics => ({
  count: (name, value = 1) => target.addMetric(name, MetricUnit.Count, value),
  milliseconds: (name, value) => target.addMetric(name, MetricUnit.Milliseconds, value),
});
