import { randomUUID } from "node:crypto";
import { silentLogger, type Logger } from "@tensornode/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { methodNotAllowed } from "hono/method-not-allowed";
import { resolveConfig, type MinerConfig, type MinerConfigInput } from "./config.js";
import type { EngineRegistry } from "./engines/registry.js";
import { createLimiters, type MinerContext } from "./http/context.js";
import { errorBody, toHttpError } from "./http/errors.js";
import { chatRoutes } from "./http/routes/chat.js";
import { completionRoutes } from "./http/routes/completions.js";
import { embeddingRoutes } from "./http/routes/embeddings.js";
import { speechRoutes, transcriptionRoutes } from "./http/routes/audio.js";
import { translationRoutes } from "./http/routes/translations.js";
import { visionRoutes } from "./http/routes/vision.js";
import { capabilityRoutes, healthRoutes, modelRoutes } from "./http/routes/info.js";

export interface MinerAppOptions {
  /** Engines after `loadEngines`: ready ones are served, off ones answer 503 with their reason. */
  engines: EngineRegistry;
  /** Limits, prices and per-engine concurrency; missing fields take the defaults. */
  config?: MinerConfigInput | MinerConfig;
  /**
   * Called with a copy of the request before any work on every `POST /v1/*` route (the dispatch
   * signature check plugs in here). Throwing refuses the request: an error with a 4xx `status`
   * (e.g. 401) becomes that status with an OpenAI error body; anything else is a 500.
   */
  authorize?: (request: Request) => Promise<void>;
  logger?: Logger;
}

/** The miner's HTTP surface (OpenAI wire format) as one Hono app. Every response is JSON, SSE, or audio bytes from `/v1/audio/speech` (errors are always JSON). */
export function createMinerApp(options: MinerAppOptions) {
  const config = resolveConfig(options.config);
  const logger = options.logger ?? silentLogger;
  const ctx: MinerContext = { registry: options.engines, config, limiters: createLimiters(config), startedAt: Math.floor(Date.now() / 1000), logger };
  const app = new Hono();

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    await next();
    c.header("x-request-id", requestId);
    logger.info("request", { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use(methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => c.json(errorBody("invalid_request_error", `Method ${c.req.method} is not allowed on ${c.req.path}.`, "method_not_allowed"), 405, { allow: methods.join(", ") }) }));
  // Body limits by route: audio uploads and inline images need more room than JSON text.
  const limit = (maxSize: number) =>
    bodyLimit({ maxSize, onError: (c) => c.json(errorBody("invalid_request_error", `The request body is larger than ${maxSize} bytes.`, "request_too_large"), 413) });
  const imageBody = (images: number) => Math.max(config.limits.maxBodyBytes, Math.ceil((config.vision.maxImageBytes * 4) / 3) * images + 64 * 1024);
  const jsonLimit = limit(config.limits.maxBodyBytes);
  const limits: Record<string, ReturnType<typeof limit>> = {
    "/v1/audio/transcriptions": limit(config.stt.maxUploadBytes),
    "/v1/vision/analyze": limit(imageBody(1)),
    ...(config.vision.enabled && { "/v1/chat/completions": limit(imageBody(config.vision.maxImagesPerRequest)) }),
  };
  app.use((c, next) => (limits[c.req.path] ?? jsonLimit)(c, next));
  const { authorize } = options;
  if (authorize) {
    app.post("/v1/*", createMiddleware(async (c, next) => {
      await authorize(c.req.raw.clone());
      await next();
    }));
  }

  app.route("/health", healthRoutes(ctx));
  app.route("/v1/capabilities", capabilityRoutes(ctx));
  app.route("/v1/models", modelRoutes(ctx));
  app.route("/v1/chat/completions", chatRoutes(ctx));
  app.route("/v1/completions", completionRoutes(ctx));
  app.route("/v1/embeddings", embeddingRoutes(ctx));
  app.route("/v1/audio/transcriptions", transcriptionRoutes(ctx));
  app.route("/v1/audio/speech", speechRoutes(ctx));
  app.route("/v1/translations", translationRoutes(ctx));
  app.route("/v1/vision/analyze", visionRoutes(ctx));

  app.notFound((c) => c.json(errorBody("invalid_request_error", `Unknown route: ${c.req.method} ${c.req.path}`, "unknown_route"), 404));
  app.onError((error, c) => {
    const { status, body, headers } = toHttpError(error);
    if (status >= 500) logger.error("unhandled error", { path: c.req.path, error: error.stack ?? String(error) });
    return c.json(body, status, headers);
  });
  return app;
}

export type MinerApp = ReturnType<typeof createMinerApp>;
