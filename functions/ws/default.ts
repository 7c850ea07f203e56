import { DomainError } from "@tensornode/core";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { manifest } from "../../stacks/manifest.js";
import { lambda } from "../lib/lambda.js";
import { routeResponse } from "../lib/websocket.js";

const actions = Object.keys(manifest.websocket.routes).filter((route) => !route.startsWith("$"));

/** `$default`: a message with no known `action`; tells the client what it can send. */
export const handler = lambda(async (_event: APIGatewayProxyWebsocketEventV2) =>
  routeResponse("error", async () => {
    throw new DomainError("invalid_request", `Unknown action. Send JSON with "action" set to one of: ${actions.join(", ")}.`, "action");
  }),
);
