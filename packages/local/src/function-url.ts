import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import { hostPort } from "./gateway/aws-format.js";
import { applyCors, type CorsConfig } from "./gateway/cors.js";
import { buildHttpEvent } from "./gateway/http-event.js";
import { readBody, sendJson } from "./gateway/http-io.js";
import { toHttpResponse, type HttpResponse } from "./gateway/http-result.js";
import { closed, listen } from "./gateway/listen.js";
import type { Log } from "./gateway/types.js";
import { elapsedMs, errorMessage, safeLog } from "./gateway/util.js";
import type { StreamingInvocation } from "./lambda-runtime.js";
import { HTTP_INTEGRATION_RESPONSE } from "./response-streaming.js";

export interface FunctionUrlOptions {
  host?: string;
  port: number;
  /** Invokes the function with a response stream (`LambdaRuntime.streamingInvoker`). */
  invoke: (event: unknown) => Promise<StreamingInvocation>;
  /** Lambda's synchronous invocation payload limit (6 MB); larger requests never reach the function. */
  maxBodyBytes?: number;
  /** The URL's CORS configuration: preflights are answered here, as Function URLs do. */
  cors?: CorsConfig;
  log?: Log;
}

export interface FunctionUrl {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The URL id AWS puts in `requestContext.apiId`/`domainPrefix` (`<url-id>.lambda-url.<region>.on.aws`). */
const URL_ID = "local";
const BAD_GATEWAY = { message: "Internal Server Error" };
const TOO_LARGE = { message: "Request Entity Too Large" };
/** Framing is the URL's business: it always streams the body chunked. */
const DROPPED_HEADERS = ["content-length", "transfer-encoding", "connection"];
/** A prelude is a small JSON object; a stream that never ends one is malformed. */
const MAX_PRELUDE_BYTES = 64 * 1024;
const DELIMITER = Buffer.alloc(8);

/**
 * A Lambda Function URL in RESPONSE_STREAM invoke mode (auth type NONE) in front of an
 * in-process handler: each request becomes a payload format 2.0 event, as Function URLs send it;
 * the status, headers and cookies of the handler's `HttpResponseStream` prelude are sent as soon
 * as the handler commits them, then every body chunk is forwarded to the client as it is written.
 * A handler that is not streamified is answered with its whole (buffered) result. A failure
 * before the first write answers 502; a failure mid-stream cuts the connection, as in AWS.
 */
export async function startFunctionUrl(o: FunctionUrlOptions): Promise<FunctionUrl> {
  const host = o.host ?? "127.0.0.1";
  const scope = { domainName: "", maxBodyBytes: o.maxBodyBytes ?? 6 * 1024 * 1024 };
  // Last line of defence: a bug in one request must cost that request, never the process.
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const now = new Date();
    const requestId = randomUUID();
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const rawPath = query === -1 ? url : url.slice(0, query);
    const access: Record<string, unknown> = { method: req.method, path: rawPath, requestId };
    res.once("close", () => safeLog(o.log, { ...access, status: res.statusCode, ms: elapsedMs(started), ...(res.writableFinished ? {} : { aborted: true }) }));
    res.setHeader("x-amzn-requestid", requestId);
    if (applyCors(o.cors, req, res)) return;

    const read = await readBody(req, scope.maxBodyBytes);
    if (!read.ok) return read.reason === "too-large" ? sendJson(res, 413, TOO_LARGE, {}, true) : undefined;
    const event = buildHttpEvent({
      req,
      body: read.body,
      routeKey: "$default",
      rawPath,
      rawQueryString: query === -1 ? "" : url.slice(query + 1),
      requestId,
      stage: "$default",
      domainName: scope.domainName,
      now,
    });
    // Auth type NONE: the caller is anonymous; the URL id stands where an API id would.
    Object.assign(event.requestContext, { accountId: "anonymous", apiId: URL_ID, domainPrefix: URL_ID });

    let invocation: StreamingInvocation;
    try {
      invocation = await o.invoke(event);
    } catch (error) {
      access.error = errorMessage(error);
      return sendJson(res, 502, BAD_GATEWAY);
    }
    if (!invocation.streaming) {
      try {
        return send(res, toHttpResponse(invocation.result));
      } catch (error) {
        access.error = errorMessage(error);
        return sendJson(res, 502, BAD_GATEWAY);
      }
    }
    // The runtime logs a failed invocation; here it only decides how the response ends.
    invocation.completion.catch((error: unknown) => (access.error = errorMessage(error)));
    await relay(invocation.contentType, invocation.body, res);
  }

  const port = await listen(server, o.port, host);
  scope.domainName = hostPort(host, port);
  return {
    url: `http://${scope.domainName}`,
    port,
    close: async () => {
      const done = closed(server);
      server.closeAllConnections();
      await done;
    },
  };
}

function send(res: ServerResponse, response: HttpResponse) {
  res.writeHead(response.statusCode, responseHeaders(response));
  res.end(response.body);
}

function responseHeaders(response: Pick<HttpResponse, "headers" | "cookies">): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...response.headers };
  for (const name of DROPPED_HEADERS) delete headers[name];
  const setCookie = [...(headers["set-cookie"] ? [String(headers["set-cookie"])] : []), ...response.cookies];
  if (setCookie.length) headers["set-cookie"] = setCookie;
  return headers;
}

/**
 * Forwards the function's response stream to the client: first the status and headers (from the
 * prelude when the content type says there is one), then each chunk as it arrives, honouring the
 * client's backpressure. If the client goes away, the rest is drained so the function can finish.
 */
function relay(contentType: string, body: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    let prelude: Buffer | undefined = contentType === HTTP_INTEGRATION_RESPONSE ? Buffer.alloc(0) : undefined;
    let failed = false;
    const commit = (statusCode: number, headers: OutgoingHttpHeaders) => {
      res.writeHead(statusCode, headers);
      // Status and headers go out now, not with the first body chunk.
      res.flushHeaders();
    };
    if (!prelude) commit(200, { "content-type": contentType });

    const forward = (chunk: Buffer) => {
      if (chunk.length === 0 || res.destroyed) return;
      if (!res.write(chunk)) {
        body.pause();
        res.once("drain", () => body.resume());
      }
    };
    body.on("data", (chunk: Buffer) => {
      if (!prelude) return forward(chunk);
      prelude = Buffer.concat([prelude, chunk]);
      const end = prelude.indexOf(DELIMITER);
      if (end === -1) {
        if (prelude.length > MAX_PRELUDE_BYTES) fail();
        return;
      }
      let response: HttpResponse;
      try {
        response = toHttpResponse({ statusCode: 200, ...(JSON.parse(prelude.subarray(0, end).toString("utf8")) as object) });
      } catch {
        return fail();
      }
      const rest = prelude.subarray(end + DELIMITER.length);
      prelude = undefined;
      commit(response.statusCode, responseHeaders(response));
      forward(rest);
    });
    body.once("end", () => {
      if (failed) return;
      // Ended without a complete prelude: nothing was ever written (an empty 200), or garbage.
      if (prelude && prelude.length > 0) return fail();
      if (prelude) commit(200, {});
      res.end(resolve);
    });
    // Failed or timed out mid-stream: the client sees the connection cut, as from AWS.
    body.once("error", () => {
      res.destroy();
      resolve();
    });
    res.once("close", () => {
      if (res.writableFinished) return;
      body.resume();
      resolve();
    });

    function fail() {
      failed = true;
      body.removeAllListeners("data");
      body.resume();
      if (res.headersSent) res.destroy();
      else sendJson(res, 502, BAD_GATEWAY);
      resolve();
    }
  });
}
