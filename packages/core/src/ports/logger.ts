/** Structured logging as the core sees it; adapters decide the format and destination. */
export type LogAttributes = Record<string, unknown>;

export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Counters and timings; adapters emit them (CloudWatch EMF in AWS and locally). */
export interface Metrics {
  count(name: string, value?: number): void;
  milliseconds(name: string, value: number): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
export const silentMetrics: Metrics = { count() {}, milliseconds() {} };
