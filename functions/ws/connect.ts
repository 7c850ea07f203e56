import { bearerToken, isDomainError, openConnection } from "@tensornode/core";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { lambda, logger } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
};

/**
 * `$connect`: authenticates with an API key from `Authorization: Bearer` or, for browsers
 * (which cannot set WebSocket headers), the `api_key` query parameter. A non-2xx status makes
 * API Gateway refuse the upgrade.
 */
export const handler = lambda(async (event: ConnectEvent): Promise<APIGatewayProxyResultV2> => {
  const { connectionId } = event.requestContext;
  const apiKey = bearerToken(event.headers?.authorization ?? event.headers?.Authorization) ?? event.queryStringParameters?.api_key;
  try {
    const principal = await openConnection(getServices(), connectionId, apiKey);
    logger.info("websocket connected", { connectionId, ownerId: principal.ownerId });
    return { statusCode: 200 };
  } catch (error) {
    if (isDomainError(error) && error.code === "unauthenticated") return { statusCode: 401 };
    throw error;
  }
});
