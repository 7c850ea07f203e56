import { closeConnection } from "@tensornode/core";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { lambda, logger } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";

/** `$disconnect`: forgets the connection and its subscriptions. */
export const handler = lambda(async (event: APIGatewayProxyWebsocketEventV2) => {
  await closeConnection(getServices(), event.requestContext.connectionId);
  logger.info("websocket disconnected", { connectionId: event.requestContext.connectionId });
  return { statusCode: 200 };
});
