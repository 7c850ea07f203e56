import { subscribeToJob } from "@tensornode/core";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";
import { managementEndpointOf, parseMessageBody, routeResponse } from "../lib/websocket.js";

/** `{"action":"subscribe","jobId":"job_..."}`: job updates are pushed to this connection. */
export const handler = lambda(async (event: APIGatewayProxyWebsocketEventV2) =>
  routeResponse("subscribed", () => {
    const s = getServices();
    const push = s.push(managementEndpointOf(event, s.config.wsManagementEndpoint));
    return subscribeToJob({ ...s, push }, event.requestContext.connectionId, parseMessageBody(event));
  }),
);
