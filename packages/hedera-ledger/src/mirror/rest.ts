import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Ledger } from "../ledger.js";
import { accountTokens, getAccount, listAccounts, listBalances } from "./rest/accounts.js";
import { RestError, errorBody, notFound, toJson, type RestRequest, type RestResponse } from "./rest/common.js";
import { exchangeRate } from "./rest/network.js";
import { getSchedule } from "./rest/schedules.js";
import { getTopic, messageByTimestamp, topicMessage, topicMessages } from "./rest/topics.js";
import { getTransaction, getTransactions } from "./rest/transactions.js";

/**
 * The mirror node REST API subset a backend needs, served from the ledger's state over node:http
 * on 127.0.0.1 (the SDK's loopback mirror REST is `http://127.0.0.1:5551/api/v1`, this port's default). Read-only:
 * GET and HEAD; anything else is 405. Every answer is JSON; errors use the mirror's
 * `{"_status":{"messages":[{"message": ...}]}}` with 400 (malformed id or parameter, naming it),
 * 404 (unknown entity or path) or, for a bug, 500 — a request never takes the process down.
 */

export const API_PREFIX = "/api/v1";

/** Routes a decoded path (segments after `/api/v1/`) to its resource. */
function route(request: RestRequest): RestResponse {
  const s = request.segments;
  switch (s[0]) {
    case "accounts":
      if (s.length === 1) return listAccounts(request);
      if (s.length === 2) return getAccount(request, s[1]!);
      if (s.length === 3 && s[2] === "tokens") return accountTokens(request, s[1]!);
      break;
    case "balances":
      if (s.length === 1) return listBalances(request);
      break;
    case "transactions":
      if (s.length === 1) return getTransactions(request);
      if (s.length === 2) return getTransaction(request, s[1]!);
      break;
    case "topics":
      if (s.length === 3 && s[1] === "messages") return messageByTimestamp(request, s[2]!);
      if (s.length === 2) return getTopic(request, s[1]!);
      if (s.length === 3 && s[2] === "messages") return topicMessages(request, s[1]!);
      if (s.length === 4 && s[2] === "messages") return topicMessage(request, s[1]!, s[3]!);
      break;
    case "schedules":
      if (s.length === 2) return getSchedule(request, s[1]!);
      break;
    case "network":
      if (s.length === 2 && s[1] === "exchangerate") return exchangeRate(request);
      break;
  }
  throw notFound();
}

/**
 * Answers one request (method and raw URL) from the ledger's current state: status and JSON body.
 * Exposed for tests and for callers that want the API without a socket.
 */
export function handleMirrorRequest(ledger: Ledger, method: string, rawUrl: string): { status: number; body: unknown; headers?: Record<string, string> } {
  if (method !== "GET" && method !== "HEAD") return { status: 405, body: errorBody(["Method not allowed"]), headers: { allow: "GET, HEAD" } };
  try {
    let url: URL;
    let segments: string[];
    try {
      url = new URL(rawUrl, "http://127.0.0.1");
      segments = url.pathname.split("/").filter(Boolean).map((segment) => decodeURIComponent(segment));
    } catch {
      throw new RestError(400, ["Invalid parameter: path"]);
    }
    const prefix = API_PREFIX.split("/").filter(Boolean);
    if (segments.length < prefix.length || prefix.some((p, i) => segments[i] !== p)) throw notFound();
    const path = `/${segments.map((segment) => encodeURIComponent(segment).replace(/%40/g, "@")).join("/")}`;
    const response = route({ ledger, segments: segments.slice(prefix.length), path, query: url.searchParams });
    return { status: response.status ?? 200, body: response.body };
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, body: errorBody(error.messages) };
    return { status: 500, body: errorBody([`Internal error: ${(error as Error)?.message ?? String(error)}`]) };
  }
}

export interface MirrorRestServer {
  /**
   * Origin of the API, e.g. `http://127.0.0.1:5551` (paths are `/api/v1/...`, as with
   * `https://testnet.mirrornode.hedera.com`); `links.next` values are paths to append to it.
   */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the REST server on 127.0.0.1 (only): `port` 0 picks a free port. */
export async function startMirrorRest(ledger: Ledger, port: number): Promise<MirrorRestServer> {
  const host = "127.0.0.1";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      const answer = handleMirrorRequest(ledger, req.method ?? "GET", req.url ?? "/");
      let text: string;
      try {
        text = toJson(answer.body);
      } catch (error) {
        answer.status = 500;
        text = toJson(errorBody([`Internal error: ${(error as Error).message}`]));
      }
      res.writeHead(answer.status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        "access-control-allow-origin": "*",
        ...answer.headers,
      });
      res.end(req.method === "HEAD" ? undefined : text);
    } catch {
      // The response itself failed (client gone, headers sent): drop the socket, keep serving.
      res.destroy();
    }
    req.resume();
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
