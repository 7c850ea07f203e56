import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { awsId } from "./aws-format.js";
import type { Connection } from "./connections.js";
import { readBody, sendJson } from "./http-io.js";
import type { Log } from "./types.js";
import { elapsedMs, safeLog } from "./util.js";

export interface ManagementContext {
  stage: string;
  connections: Map<string, Connection>;
  /** PostToConnection's payload limit; API Gateway's is 128 KB, like its message limit. */
  maxPayloadBytes: number;
  log?: Log;
}

/**
 * The API Gateway Management API (`@connections`) as the AWS SDK's ApiGatewayManagementApiClient
 * calls it: errors carry their type in `x-amzn-errortype`, which the SDK turns into `err.name`.
 */
export async function handleManagementRequest(context: ManagementContext, req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  res.setHeader("x-amzn-requestid", awsId());
  res.once("close", () => {
    safeLog(context.log, { api: "@connections", method: req.method, path: req.url, status: res.statusCode, ms: elapsedMs(started) });
  });
  const id = connectionIdFromPath(req.url ?? "/", context.stage);
  if (id === undefined) return sendJson(res, 404, { message: "Not Found" });
  if (!["GET", "POST", "DELETE"].includes(req.method ?? "")) {
    return sendJson(res, 405, { message: "Method Not Allowed" }, { allow: "GET, POST, DELETE" });
  }
  const connection = context.connections.get(id);
  if (!connection || connection.ws.readyState !== WebSocket.OPEN) return gone(res);

  if (req.method === "GET") {
    return sendJson(res, 200, {
      connectedAt: new Date(connection.connectedAt).toISOString(),
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  }
  if (req.method === "DELETE") {
    // The client's close then triggers $disconnect, as with AWS's DeleteConnection.
    connection.ws.close(1000);
    res.writeHead(204).end();
    return;
  }
  const read = await readBody(req, context.maxPayloadBytes);
  if (!read.ok) {
    if (read.reason === "too-large") {
      const message = `Message too long; the limit is ${context.maxPayloadBytes} bytes`;
      sendJson(res, 413, { message }, { "x-amzn-errortype": "PayloadTooLargeException" }, true);
    }
    return;
  }
  // PostToConnection delivers the raw bytes; text frames are what API Gateway sends.
  connection.ws.send(read.body, { binary: false }, (error) => {
    if (error) return gone(res);
    res.writeHead(200).end();
  });
}

/** A closed or unknown connection is "gone": the signal handlers use to prune stale ids. */
function gone(res: ServerResponse) {
  sendJson(res, 410, { message: "GoneException" }, { "x-amzn-errortype": "GoneException" });
}

/**
 * "/@connections/{id}", or "/{stage}/@connections/{id}" for a named stage (the SDK puts the
 * endpoint's path in front). The id is URL-encoded because real ids contain "=", "+" and "/".
 */
function connectionIdFromPath(url: string, stage: string): string | undefined {
  const path = url.split("?")[0] ?? "";
  const prefixes = stage === "$default" ? ["/@connections/"] : ["/@connections/", `/${stage}/@connections/`];
  const prefix = prefixes.find((p) => path.startsWith(p));
  const encoded = prefix === undefined ? "" : path.slice(prefix.length);
  if (encoded === "" || encoded.includes("/")) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
