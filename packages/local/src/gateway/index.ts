/** Local API Gateway v2: an HTTP API and a WebSocket API (with @connections) on 127.0.0.1. */
export type { Invoke, Log } from "./types.js";
export { startHttpGateway, type HttpGateway, type HttpGatewayOptions } from "./http-gateway.js";
export { startWebSocketGateway, type WebSocketGateway, type WebSocketGatewayOptions } from "./websocket-gateway.js";
export type { WebSocketEvent } from "./websocket-events.js";
