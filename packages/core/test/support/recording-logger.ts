import type { LogAttributes, Logger } from "../../src/index.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  attributes?: LogAttributes;
}

/** A Logger that keeps every entry, for assertions on what was logged. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: "debug", message, ...(attributes && { attributes }) });
  }

  info(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: "info", message, ...(attributes && { attributes }) });
  }

  warn(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: "warn", message, ...(attributes && { attributes }) });
  }

  error(message: string, attributes?: LogAttributes): void {
    this.entries.push({ level: "error", message, ...(attributes && { attributes }) });
  }

  at(level: LogEntry["level"]): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}
