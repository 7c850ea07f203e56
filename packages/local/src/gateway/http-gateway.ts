import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { awsId, hostPort } from "./aws-format.js";
import { applyCors, type CorsConfig } from "./cors.js";
import { buildHttpEvent } from "./http-event.js";
import { readBody, sendJson } from "./http-io.js";
import { toHttpResponse } from "./http-result.js";
import { listen, closed } from "./listen.js";
import { compileRoute, matchRoute, type HttpRoute } from "./routes.js";
import type { Invoke, Log } from "./types.js";
import { elapsedMs, errorMessage, safeLog } from "./util.js";

export interface HttpGatewayOptions {
  host?: string;
  port: number;
  routes: Array<{ routeKey: string; invoke: Invoke }>;
  /** API Gateway's payload limit; larger requests get 413 without reaching the handler. */
  maxBodyBytes?: number;
  stage?: string;
  /** The API's CORS configuration (manifest.http.cors): preflights are answered here, as API Gateway does. */
  cors?: CorsConfig;
  log?: Log;
}

export interface HttpGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** API Gateway's own error bodies, so clients see the same thing locally as in AWS. */
const NOT_FOUND = { message: "Not Found" };
const TOO_LARGE = { message: "Request Entity Too Large" };
const INTERNAL_ERROR = { message: "Internal Server Error" };

/** Framing headers are the gateway's business, not the handler's (its body may be re-encoded). */
const DROPPED_RESULT_HEADERS = ["content-length", "transfer-encoding", "connection"];

interface Context {
  cors?: CorsConfig;
  routes: HttpRoute<Invoke>[];
  stage: string;
  domainName: string;
  maxBodyBytes: number;
}

/** An API Gateway v2 HTTP API (payload format 2.0) in front of in-process handlers. */
export async function startHttpGateway(o: HttpGatewayOptions): Promise<HttpGateway> {
  const host = o.host ?? "127.0.0.1";
  const stage = o.stage ?? "$default";
  const context: Context = {
    ...(o.cors && { cors: o.cors }),
    routes: o.routes.map((r) => compileRoute(r.routeKey, r.invoke)),
    stage,
    domainName: "",
    maxBodyBytes: o.maxBodyBytes ?? 10 * 1024 * 1024,
  };
  // Last line of defence: a bug in one request must cost that request, never the process.
  const server = createServer((req, res) => void handle(context, req, res, o.log).catch(() => res.destroy()));
  const port = await listen(server, o.port, host);
  context.domainName = hostPort(host, port);
  return {
    // A named stage is part of the invoke URL, as in AWS; "$default" is served at the root.
    url: `http://${context.domainName}${stage === "$default" ? "" : `/${stage}`}`,
    port,
    close: async () => {
      const done = closed(server);
      server.closeAllConnections();
      await done;
    },
  };
}

async function handle(context: Context, req: IncomingMessage, res: ServerResponse, log: Log | undefined) {
  const started = performance.now();
  const now = new Date();
  const requestId = awsId();
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const rawPath = query === -1 ? url : url.slice(0, query);
  const rawQueryString = query === -1 ? "" : url.slice(query + 1);
  const access: Record<string, unknown> = { method: req.method, path: rawPath, requestId };
  res.once("close", () => {
    const aborted = res.writableFinished ? {} : { aborted: true };
    safeLog(log, { ...access, status: res.statusCode, ms: elapsedMs(started), ...aborted });
  });
  res.setHeader("apigw-requestid", requestId);
  if (applyCors(context.cors, req, res)) return;
  try {
    const routePath = stripStage(rawPath, context.stage);
    const match = routePath === undefined ? undefined : matchRoute(context.routes, req.method ?? "", routePath);
    if (!match) return sendJson(res, 404, NOT_FOUND);
    access.routeKey = match.route.routeKey;

    const read = await readBody(req, context.maxBodyBytes);
    // The rest of an oversized body stays unread, so the connection cannot be reused.
    if (!read.ok) return read.reason === "too-large" ? sendJson(res, 413, TOO_LARGE, {}, true) : undefined;

    const event = buildHttpEvent({
      req,
      body: read.body,
      routeKey: match.route.routeKey,
      ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
      rawPath,
      rawQueryString,
      requestId,
      stage: context.stage,
      domainName: context.domainName,
      now,
    });
    const response = toHttpResponse(await match.route.target(event));
    const headers: OutgoingHttpHeaders = { ...response.headers };
    for (const name of DROPPED_RESULT_HEADERS) delete headers[name];
    const setCookie = [...(headers["set-cookie"] ? [String(headers["set-cookie"])] : []), ...response.cookies];
    if (setCookie.length) headers["set-cookie"] = setCookie;
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
  } catch (error) {
    // A throwing/timed-out handler or a malformed result: API Gateway hides the cause.
    access.error = errorMessage(error);
    sendJson(res, 500, INTERNAL_ERROR);
  }
}

/**
 * With a named stage, requests must start with "/{stage}" and routes match what follows; the
 * event's rawPath keeps the stage prefix, as it does in AWS.
 */
function stripStage(rawPath: string, stage: string): string | undefined {
  if (!rawPath.startsWith("/")) return undefined;
  if (stage === "$default") return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return "/";
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}
