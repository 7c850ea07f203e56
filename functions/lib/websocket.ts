import { toWebSocketError } from "./ws-errors.js";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { logger } from "./lambda.js";

/** The management endpoint of the API that delivered this event: `https://{domain}/{stage}`. */
export function managementEndpointOf(event: APIGatewayProxyWebsocketEventV2, configured?: string): string {
  if (configured) return configured;
  const { domainName, stage } = event.requestContext;
  return `https://${domainName}/${stage}`;
}

/**
 * Runs a WebSocket route's work and turns the outcome into the route response the client sees:
 * `{type, ...result}` on success, `{type:"error", error:{...}}` on failure. Never throws, so a bad
 * message cannot make API Gateway answer with its opaque "Internal server error".
 */
export async function routeResponse(type: string, work: () => Promise<object>): Promise<APIGatewayProxyResultV2> {
  try {
    return { statusCode: 200, body: JSON.stringify({ type, ...(await work()) }) };
  } catch (error) {
    const { statusCode, body } = toWebSocketError(error);
    if (statusCode >= 500) logger.error("websocket route failed", { error: (error as Error).stack ?? String(error) });
    return { statusCode, body: JSON.stringify(body) };
  }
}

/** WebSocket message bodies are JSON; anything else is answered with an error, not a crash. */
export function parseMessageBody(event: APIGatewayProxyWebsocketEventV2): unknown {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}
