import type { IncomingMessage } from "node:http";
import type { APIGatewayEventWebsocketRequestContextV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { awsId, requestTime } from "./aws-format.js";

/** The identity of the client that opened the connection. */
export interface ClientIdentity {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
}

export interface EventScope {
  stage: string;
  domainName: string;
}

/**
 * `@types/aws-lambda` omits fields AWS sends: `identity` on every event, the close code and
 * reason on $disconnect, headers on $connect; and `messageId` exists on MESSAGE events only.
 */
type RequestContext = Omit<APIGatewayEventWebsocketRequestContextV2, "messageId"> & {
  messageId?: string;
  identity: { sourceIp: string; userAgent: string };
  disconnectStatusCode?: number;
  disconnectReason?: string;
};

export type WebSocketEvent = Omit<APIGatewayProxyWebsocketEventV2, "requestContext"> & {
  requestContext: RequestContext;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
};

/** `$connect` is the only event with the handshake's headers and query string. */
export function connectEvent(req: IncomingMessage, client: ClientIdentity, scope: EventScope): WebSocketEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? "").toLowerCase();
    const value = req.rawHeaders[i + 1] ?? "";
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const event: WebSocketEvent = {
    requestContext: context("$connect", "CONNECT", client, scope),
    headers,
    multiValueHeaders,
    isBase64Encoded: false,
  };
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  if (query.size) {
    // Like REST APIs' format 1.0: the single-value map keeps the last value of a repeated key.
    event.queryStringParameters = Object.fromEntries(query);
    event.multiValueQueryStringParameters = {};
    for (const [key, value] of query) (event.multiValueQueryStringParameters[key] ??= []).push(value);
  }
  return event;
}

export function messageEvent(
  routeKey: string,
  requestId: string,
  body: string,
  isBase64Encoded: boolean,
  client: ClientIdentity,
  scope: EventScope,
): WebSocketEvent {
  return {
    requestContext: { ...context(routeKey, "MESSAGE", client, scope, requestId), messageId: awsId() },
    body,
    isBase64Encoded,
  };
}

export function disconnectEvent(code: number, reason: string, client: ClientIdentity, scope: EventScope): WebSocketEvent {
  return {
    requestContext: {
      ...context("$disconnect", "DISCONNECT", client, scope),
      disconnectStatusCode: code,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}

function context(
  routeKey: string,
  eventType: RequestContext["eventType"],
  client: ClientIdentity,
  scope: EventScope,
  requestId = awsId(),
): RequestContext {
  const now = new Date();
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: "IN",
    stage: scope.stage,
    connectedAt: client.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: client.sourceIp, userAgent: client.userAgent },
    requestId,
    domainName: scope.domainName,
    connectionId: client.connectionId,
    apiId: "local",
  };
}
