import type { Stack, Table } from "sst/constructs";
import { manifest } from "./manifest";

/** What every helper in the Backend stack receives. */
export interface Wiring {
  stack: Stack;
  table: Table;
  /** The part of `manifest.env` every function gets (see `baseEnvironment`). */
  env: Record<string, string>;
}

/**
 * TABLE_NAME, EPOCH_SECONDS and MAX_BODY_BYTES, named by `manifest.env`. The fourth name,
 * WS_MANAGEMENT_ENDPOINT, is set only where it is used (the inference consumer); the WebSocket
 * route handlers derive it from their request context. Queue URLs are added per producer.
 */
export function baseEnvironment(table: Table): Record<string, string> {
  return {
    [manifest.env.tableName]: table.tableName,
    [manifest.env.epochSeconds]: String(manifest.defaults.epochSeconds),
    [manifest.env.maxBodyBytes]: String(manifest.defaults.maxBodyBytes),
  };
}

/** "epochClose" -> "EpochClose": for construct ids and output names. */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
