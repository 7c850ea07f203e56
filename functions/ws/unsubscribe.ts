import { unsubscribeFromJob } from "@tensornode/core";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";
import { parseMessageBody, routeResponse } from "../lib/websocket.js";

/** `{"action":"unsubscribe","jobId":"job_..."}` */
export const handler = lambda(async (event: APIGatewayProxyWebsocketEventV2) =>
  routeResponse("unsubscribed", () => unsubscribeFromJob(getServices(), event.requestContext.connectionId, parseMessageBody(event))),
);
