/**
 * @module @tensornode/api
 * The HTTP API: `createApp(resolveDeps)` builds the Hono app; `serveOnNode` runs it on Node.
 */
export { createApp, type ApiApp } from "./app.js";
export type { ApiDeps, ResolveDeps } from "./deps.js";
export { errorBody, toHttpError, type OpenAiErrorBody } from "./errors.js";
export { serveOnNode } from "./node.js";
export { openApiDocument, OPERATIONS as DOCUMENTED_OPERATIONS } from "./openapi.js";
