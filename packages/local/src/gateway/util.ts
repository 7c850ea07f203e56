import { performance } from "node:perf_hooks";
import type { Log } from "./types.js";

/** A throwing logger must never take a request or the server down with it. */
export function safeLog(log: Log | undefined, line: Record<string, unknown>): void {
  try {
    log?.(line);
  } catch {
    // Logging is best effort.
  }
}

/** Milliseconds since a `performance.now()` reading, to 0.1 ms. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
