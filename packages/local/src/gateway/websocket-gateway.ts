import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { awsId, hostPort } from "./aws-format.js";
import type { Connection } from "./connections.js";
import { listen, closed } from "./listen.js";
import { handleManagementRequest } from "./management-api.js";
import { selectRoute } from "./route-selection.js";
import type { Invoke, Log } from "./types.js";
import { elapsedMs, errorMessage, isRecord, safeLog } from "./util.js";
import { connectEvent, disconnectEvent, messageEvent, type ClientIdentity, type EventScope } from "./websocket-events.js";

export interface WebSocketGatewayOptions {
  host?: string;
  port: number;
  stage?: string;
  /** "$connect", "$disconnect", "$default" and named routes such as "subscribe". */
  routes: Record<string, Invoke>;
  /** The field of a JSON message that selects the route: `$request.body.<key>`. */
  routeSelectionKey?: string;
  /** Larger messages close the connection with 1009; also the PostToConnection payload limit. */
  maxMessageBytes?: number;
  log?: Log;
}

export interface WebSocketGateway {
  url: string;
  managementEndpoint: string;
  port: number;
  connectionIds(): string[];
  close(): Promise<void>;
}

type Refuse = (ok: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void;

/** How long a client gets to answer our close frame on shutdown before its socket is cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * An API Gateway WebSocket API in front of in-process handlers, with the `@connections`
 * management API on the same port (plain HTTP requests; upgrade requests are clients).
 */
export async function startWebSocketGateway(o: WebSocketGatewayOptions): Promise<WebSocketGateway> {
  const host = o.host ?? "127.0.0.1";
  const maxMessageBytes = o.maxMessageBytes ?? 128 * 1024;
  const selectionKey = o.routeSelectionKey ?? "action";
  const scope: EventScope = { stage: o.stage ?? "local", domainName: "" };
  const connections = new Map<string, Connection>();
  const disconnects = new Set<Promise<void>>();
  const handshaking = new Set<Duplex>();
  const identities = new WeakMap<IncomingMessage, ClientIdentity>();
  const route = (key: string) => (Object.hasOwn(o.routes, key) ? o.routes[key] : undefined);
  const management = { stage: scope.stage, connections, maxPayloadBytes: maxMessageBytes, ...(o.log ? { log: o.log } : {}) };

  // Last line of defence: a bug in one request must cost that request, never the process.
  const server = createServer((req, res) => void handleManagementRequest(management, req, res).catch(() => res.destroy()));
  // ws validates the handshake before verifyClient, so $connect only sees well-formed upgrades;
  // maxPayload makes ws close oversized messages with 1009, like API Gateway.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    verifyClient: (info, done: Refuse) => void runConnect(info.req, done),
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    handshaking.add(socket);
    socket.once("close", () => handshaking.delete(socket));
    wss.handleUpgrade(req, socket, head, (ws) => {
      handshaking.delete(socket);
      const identity = identities.get(req);
      if (identity) open(identity, ws);
    });
  });

  /** $connect runs during the handshake: a non-2xx result or a failure refuses the upgrade. */
  async function runConnect(req: IncomingMessage, done: Refuse) {
    const identity: ClientIdentity = {
      connectionId: awsId(),
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress ?? "",
      userAgent: req.headers["user-agent"] ?? "",
    };
    identities.set(req, identity);
    const invoke = route("$connect");
    if (!invoke) return done(true);
    const started = performance.now();
    const record = { eventType: "CONNECT", routeKey: "$connect", connectionId: identity.connectionId };
    try {
      const result = await invoke(connectEvent(req, identity, scope));
      const status = isRecord(result) && "statusCode" in result ? result.statusCode : 200;
      safeLog(o.log, { ...record, status, ms: elapsedMs(started) });
      if (typeof status === "number" && status >= 200 && status < 300) return done(true);
      const valid = typeof status === "number" && Number.isInteger(status) && status >= 300 && status <= 599;
      const body = isRecord(result) && typeof result.body === "string" && result.body ? result.body : undefined;
      done(false, valid ? status : 500, body);
    } catch (error) {
      safeLog(o.log, { ...record, status: 500, ms: elapsedMs(started), error: errorMessage(error) });
      done(false, 500, JSON.stringify({ message: "Internal server error" }), { "Content-Type": "application/json" });
    }
  }

  function open(identity: ClientIdentity, ws: WebSocket) {
    const connection: Connection = { ...identity, ws, lastActiveAt: identity.connectedAt };
    connections.set(connection.connectionId, connection);
    // Protocol errors (bad frames, oversized messages) are followed by "close"; an "error"
    // event without a listener would crash the process.
    ws.on("error", (error) => safeLog(o.log, { eventType: "ERROR", connectionId: connection.connectionId, error: error.message }));
    // binaryType is the default "nodebuffer", so every message arrives as one Buffer.
    ws.on("message", (data: RawData, isBinary: boolean) => void onMessage(connection, data as Buffer, isBinary));
    ws.once("close", (code: number, reason: Buffer) => {
      connections.delete(connection.connectionId);
      const pending = onDisconnect(connection, code, reason.toString());
      disconnects.add(pending);
      void pending.finally(() => disconnects.delete(pending));
    });
  }

  async function onMessage(connection: Connection, data: Buffer, isBinary: boolean) {
    connection.lastActiveAt = Date.now();
    const requestId = awsId();
    const text = isBinary ? undefined : data.toString("utf8");
    const routeKey = selectRoute(o.routes, selectionKey, text);
    const invoke = routeKey === undefined ? undefined : route(routeKey);
    const record = { eventType: "MESSAGE", routeKey, connectionId: connection.connectionId, requestId };
    if (!routeKey || !invoke) {
      safeLog(o.log, { ...record, status: 403 });
      return send(connection.ws, gatewayError("Forbidden", connection.connectionId, requestId));
    }
    const started = performance.now();
    try {
      const body = text ?? data.toString("base64");
      const result = await invoke(messageEvent(routeKey, requestId, body, isBinary, connection, scope));
      safeLog(o.log, { ...record, ms: elapsedMs(started) });
      // Like a route response: a body returned by the integration goes back to the client.
      if (isRecord(result) && typeof result.body === "string") send(connection.ws, result.body);
    } catch (error) {
      safeLog(o.log, { ...record, ms: elapsedMs(started), error: errorMessage(error) });
      // AWS reports the failure to the client and keeps the connection open.
      send(connection.ws, gatewayError("Internal server error", connection.connectionId, requestId));
    }
  }

  /** Best effort, like AWS's own $disconnect delivery: failures are logged, never thrown. */
  async function onDisconnect(identity: ClientIdentity, code: number, reason: string) {
    const invoke = route("$disconnect");
    const started = performance.now();
    const record = { eventType: "DISCONNECT", routeKey: "$disconnect", connectionId: identity.connectionId, code };
    try {
      if (invoke) await invoke(disconnectEvent(code, reason, identity, scope));
      safeLog(o.log, { ...record, ms: elapsedMs(started) });
    } catch (error) {
      safeLog(o.log, { ...record, ms: elapsedMs(started), error: errorMessage(error) });
    }
  }

  const port = await listen(server, o.port, host);
  scope.domainName = hostPort(host, port);
  return {
    url: `ws://${scope.domainName}`,
    managementEndpoint: `http://${scope.domainName}`,
    port,
    connectionIds: () => [...connections.keys()],
    close: async () => {
      const done = closed(server);
      wss.close();
      // Handshakes still waiting on $connect never become connections.
      for (const socket of handshaking) socket.destroy();
      await Promise.all([...connections.values()].map((c) => closeClient(c.ws)));
      await Promise.allSettled([...disconnects]);
      server.closeAllConnections();
      await done;
    },
  };
}

/** Closes politely (1001 Going Away), then cuts the socket if the client does not answer. */
function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, "Going away");
  });
}

function send(ws: WebSocket, text: string) {
  if (ws.readyState === WebSocket.OPEN) ws.send(text);
}

/** API Gateway's own error frame, same shape and spacing: `{"message": "Forbidden", "connectionId":"…", "requestId":"…"}`. */
function gatewayError(message: string, connectionId: string, requestId: string): string {
  const json = JSON.stringify;
  return `{"message": ${json(message)}, "connectionId":${json(connectionId)}, "requestId":${json(requestId)}}`;
}
