import type { WebSocket } from "ws";
import type { ClientIdentity } from "./websocket-events.js";

/** One open WebSocket client, as events and the @connections API describe it. */
export interface Connection extends ClientIdentity {
  ws: WebSocket;
  /** Last time the client sent a message (epoch ms). */
  lastActiveAt: number;
}
