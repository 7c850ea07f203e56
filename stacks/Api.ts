import { Api, Function, WebSocketApi } from "sst/constructs";
import { manifest } from "./manifest";
import { tableAccess } from "./permissions";
import type { Wiring } from "./shared";

/**
 * The HTTP API: every route in `manifest.http.routes` (just `$default`) goes to the one Hono
 * handler, which answers unknown paths and methods itself. CORS comes from `manifest.http.cors`
 * (open to any origin: bearer keys and signatures, no cookies), the same data the local emulator uses.
 */
export function createHttpApi({ stack, table, env }: Wiring): { api: Api; handlers: Function[] } {
  const api = new Api(stack, "Http", {
    cors: {
      allowOrigins: [...manifest.http.cors.allowOrigins],
      allowMethods: [...manifest.http.cors.allowMethods, "OPTIONS"],
      allowHeaders: [...manifest.http.cors.allowHeaders],
      exposeHeaders: [...manifest.http.cors.exposeHeaders],
    },
    defaults: {
      function: {
        timeout: manifest.http.timeoutSeconds,
        environment: env,
      },
    },
    routes: Object.fromEntries(manifest.http.routes.map((route) => [route, manifest.http.handler])),
  });
  const handlers = api.routes.map((route) => {
    const fn = api.getFunction(route);
    if (!fn) throw new Error(`HTTP route ${route} has no function`);
    fn.attachPermissions([tableAccess(table)]);
    return fn;
  });
  return { api, handlers };
}

/**
 * The WebSocket API: one Lambda per `manifest.websocket.routes` entry. SST's `WebSocketApi` grants
 * each route function `execute-api:ManageConnections` on this API's connections; the handlers take
 * the management endpoint from their request context, so they get no WS_MANAGEMENT_ENDPOINT.
 */
export function createWebSocketApi({ stack, table, env }: Wiring): { ws: WebSocketApi; handlers: Function[] } {
  const ws = new WebSocketApi(stack, "WebSocket", {
    defaults: {
      function: {
        timeout: manifest.websocket.timeoutSeconds,
        environment: env,
      },
    },
    routes: { ...manifest.websocket.routes },
  });
  const handlers = ws.routes.map((route) => {
    const fn = ws.getFunction(route);
    if (!fn) throw new Error(`WebSocket route ${route} has no function`);
    fn.attachPermissions([tableAccess(table)]);
    return fn;
  });
  return { ws, handlers };
}

/** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`: where PostToConnection goes. */
export function managementEndpoint(ws: WebSocketApi): string {
  return ws.cdk.webSocketStage.callbackUrl;
}

/**
 * The streaming entry point: the same Hono app (`manifest.http.streaming.handler`) behind a
 * Lambda Function URL in RESPONSE_STREAM mode, so Server-Sent Events reach clients as they are
 * written (API Gateway HTTP APIs buffer Lambda responses). Auth type NONE: like the HTTP API, the
 * app authenticates requests with API keys itself. CORS as on the HTTP API (Function URLs answer
 * preflights themselves and accept no OPTIONS method in the list).
 */
export function createStreamingUrl({ stack, table, env }: Wiring): { fn: Function; url: string } {
  const fn = new Function(stack, "HttpStream", {
    handler: manifest.http.streaming.handler,
    timeout: manifest.http.streaming.timeoutSeconds,
    environment: env,
    url: {
      authorizer: "none",
      streaming: true,
      cors: {
        allowOrigins: [...manifest.http.cors.allowOrigins],
        allowMethods: [...manifest.http.cors.allowMethods],
        allowHeaders: [...manifest.http.cors.allowHeaders],
        exposeHeaders: [...manifest.http.cors.exposeHeaders],
      },
    },
  });
  fn.attachPermissions([tableAccess(table)]);
  return { fn, url: fn.url! };
}
