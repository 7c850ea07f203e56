import { streamChatToConnection } from "@tensornode/core";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";
import { managementEndpointOf, parseMessageBody } from "../lib/websocket.js";
import { toWebSocketError } from "../lib/ws-errors.js";

/**
 * `{"action":"chat","client_id":"c1","request":{model,messages,...}}`: a streamed chat completion.
 * Every event (chunks, the final usage, errors) is pushed to the connection as it happens; the
 * route itself answers nothing, so the client reads one ordered event stream.
 */
export const handler = lambda(async (event: APIGatewayProxyWebsocketEventV2) => {
  const s = getServices();
  const push = s.push(managementEndpointOf(event, s.config.wsManagementEndpoint));
  const inference = s.inference();
  try {
    await streamChatToConnection({ ...s, inference, push }, event.requestContext.connectionId, event.requestContext.requestId, parseMessageBody(event), (error) => toWebSocketError(error).body);
  } finally {
    await inference.meter.drain();
  }
  return { statusCode: 200 };
});
