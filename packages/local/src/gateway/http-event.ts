import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { requestTime } from "./aws-format.js";

export interface HttpEventInput {
  req: IncomingMessage;
  body: Buffer;
  routeKey: string;
  pathParameters?: Record<string, string>;
  rawPath: string;
  rawQueryString: string;
  requestId: string;
  stage: string;
  domainName: string;
  now: Date;
}

/** Builds the payload format 2.0 event API Gateway HTTP APIs hand to a Lambda integration. */
export function buildHttpEvent(input: HttpEventInput): APIGatewayProxyEventV2 {
  const { req, body, now } = input;
  const { headers, cookies } = collectHeaders(req.rawHeaders);
  const queryStringParameters = parseQuery(input.rawQueryString);
  const binary = !isTextContentType(headers["content-type"]);
  return {
    version: "2.0",
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "local",
      domainName: input.domainName,
      domainPrefix: input.domainName.split(".")[0] ?? input.domainName,
      http: {
        method: req.method ?? "GET",
        path: input.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: input.stage,
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: body.toString(binary ? "base64" : "utf8") } : {}),
    isBase64Encoded: body.length > 0 && binary,
  };
}

/**
 * Format 2.0 lower-cases header names and joins repeated headers with ","; the Cookie header is
 * taken out of `headers` and split into the `cookies` array instead.
 */
function collectHeaders(rawHeaders: string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    if (name === "cookie") {
      cookies.push(...value.split(";").map((c) => c.trim()).filter(Boolean));
    } else {
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeated keys joined with ","; undefined when there are none. */
function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return Object.keys(params).length ? params : undefined;
}

/** Bodies with these content types reach the handler as text; anything else (or none) as base64. */
function isTextContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    /^application\/[^/]+\+json$/.test(type) ||
    type === "application/x-www-form-urlencoded" ||
    type === "application/xml"
  );
}
