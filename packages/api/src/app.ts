import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { ApiEnv, ResolveDeps } from "./deps.js";
import { errorBody, toHttpError } from "./errors.js";
import { UnsupportedMediaTypeError } from "./middleware/json-body.js";
import { DOCS_PAGE } from "./docs-page.js";
import { openApiDocument } from "./openapi.js";
import { account, accounts, apiKeys, usage } from "./routes/accounts.js";
import { health } from "./routes/health.js";
import { inference } from "./routes/inference.js";
import { jobs } from "./routes/jobs.js";
import { miners } from "./routes/miners.js";
import { minerHosts } from "./routes/miner-hosts.js";
import { models } from "./routes/models.js";

/** Uploads (audio) may be larger than JSON bodies. */
const UPLOAD_PATHS = new Set(["/v1/audio/transcriptions"]);

/**
 * The TensorNode HTTP API as one Hono app. It runs unchanged on Lambda (`handle(app)` in
 * `functions/http.ts`) and on Node (`serveOnNode`). Every response, errors included, is JSON.
 */
export function createApp(resolveDeps: ResolveDeps) {
  const app = new Hono<ApiEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    const deps = resolveDeps();
    // On Lambda, reuse API Gateway's request id so logs and access logs line up. Never the client's
    // own x-request-id: the request id is the usage record's id, and a repeated one would be charged once.
    const lambdaEvent = (c.env as { event?: { requestContext?: { requestId?: string } } } | undefined)?.event;
    const requestId = lambdaEvent?.requestContext?.requestId ?? randomUUID();
    c.set("deps", deps);
    c.set("requestId", requestId);
    // Set before the handler runs: Hono puts it on every response it builds (c.json, c.body). Routes
    // that return a Response they built themselves add it too (see routes/inference.ts). Setting it
    // after `next()` would copy the whole response, or be lost on @hono/node-server's lightweight one.
    c.header("x-request-id", requestId);
    await next();
    deps.logger.info("request", { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use(methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => c.json(errorBody("invalid_request_error", `Method ${c.req.method} is not allowed on ${c.req.path}.`, "method_not_allowed"), 405, { allow: methods.join(", ") }) }));
  app.use(async (c, next) => {
    const maxSize = UPLOAD_PATHS.has(c.req.path) ? c.var.deps.maxUploadBytes : c.var.deps.maxBodyBytes;
    const tooLarge = () => c.json(errorBody("invalid_request_error", `The request body is larger than ${maxSize} bytes.`, "request_too_large"), 413);
    // A declared length is checked from the header alone. Hono's bodyLimit would first build the
    // full WHATWG Request on Node (a measurable share of the hot path); it is kept for chunked
    // bodies, whose size is only known by counting them as they are read.
    const declared = c.req.header("content-length");
    if (declared !== undefined) return Number(declared) <= maxSize ? next() : tooLarge();
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return bodyLimit({ maxSize, onError: tooLarge })(c, next);
  });

  app.route("/health", health);
  // Built on first request: converting the schemas takes a few milliseconds.
  let document: string | undefined;
  app.get("/openapi.json", (c) => c.body((document ??= JSON.stringify(openApiDocument(c.var.deps.version))), 200, { "content-type": "application/json" }));
  app.get("/docs", (c) => c.html(DOCS_PAGE));
  app.route("/v1", inference);
  app.route("/v1/models", models);
  app.route("/v1/accounts", accounts);
  app.route("/v1/account", account);
  app.route("/v1/keys", apiKeys);
  app.route("/v1/usage", usage);
  app.route("/v1/jobs", jobs);
  app.route("/v1/miners/hosts", minerHosts);
  app.route("/v1/miners", miners);

  app.notFound((c) => c.json(errorBody("invalid_request_error", `Unknown route: ${c.req.method} ${c.req.path}`, "unknown_route"), 404));
  app.onError((error, c) => {
    if (error instanceof UnsupportedMediaTypeError) return c.json(errorBody("invalid_request_error", error.message, "unsupported_media_type"), 415);
    const { status, body, headers } = toHttpError(error);
    if (status >= 500 && status !== 502 && status !== 503) c.var.deps?.logger.error("unhandled error", { requestId: c.var.requestId, error: error.stack ?? String(error) });
    return c.json(body, status, headers);
  });
  return app;
}

export type ApiApp = ReturnType<typeof createApp>;
