import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  PermissionError,
  RateLimitError,
  ServerError,
  TensorNode,
  TensorNodeError,
} from "../src/index.js";
import { errorFromEvent, retryAfterSeconds } from "../src/errors.js";

/** Mapping details the live API cannot easily produce on demand (403, 5xx, odd bodies, timeouts). */
const reply = (status: number, body: string, headers: Record<string, string> = {}) => async () => new Response(body, { status, headers });
const client = (fetch: (input: string, init: RequestInit) => Promise<Response>) => new TensorNode({ baseURL: "http://api.invalid/v1", apiKey: "tn_x", fetch, timeoutMs: 200 });

describe("typed errors", () => {
  it("maps 403 and 5xx, keeping type, code, param and the request id", async () => {
    const body = JSON.stringify({ error: { message: "nope", type: "permission_error", code: "forbidden", param: "id" } });
    const forbidden = await client(reply(403, body, { "x-request-id": "req-1" })).account().catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(PermissionError);
    expect(forbidden).toMatchObject({ status: 403, message: "nope", type: "permission_error", code: "forbidden", param: "id", requestId: "req-1", name: "PermissionError" });
    await expect(client(reply(502, JSON.stringify({ error: { message: "all miners failed", type: "server_error", code: "upstream_failed", param: null } }))).account()).rejects.toBeInstanceOf(ServerError);
  });

  it("survives a non-JSON error body and classifies 409/413/415 as invalid requests", async () => {
    const error = await client(reply(500, "<html>Internal</html>")).account().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toContain("HTTP 500");
    for (const status of [409, 413, 415]) await expect(client(reply(status, "{}")).account()).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("network failures and timeouts are ConnectionErrors", async () => {
    const refused = await client(async () => {
      throw new TypeError("fetch failed");
    })
      .account()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused).toMatchObject({ code: "connection_failed", status: undefined });
    const slow = (_: string, init: RequestInit) => new Promise<Response>((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
    await expect(client(slow).account()).rejects.toMatchObject({ name: "ConnectionError", code: "timeout" });
  });

  it("WebSocket error events without a status map by code, then by type", () => {
    expect(errorFromEvent({ error: { message: "x", type: "not_found_error", code: "not_found", param: "jobId" } })).toBeInstanceOf(NotFoundError);
    expect(errorFromEvent({ error: { message: "x", type: "insufficient_quota" } })).toBeInstanceOf(PaymentRequiredError);
    expect(errorFromEvent({ status: 401, error: { message: "x" } })).toBeInstanceOf(AuthenticationError);
    expect(errorFromEvent({ error: { message: "x", type: "rate_limit_error", code: "rate_limited" } })).toBeInstanceOf(RateLimitError);
    expect(errorFromEvent({})).toBeInstanceOf(ServerError);
  });

  it("Retry-After as seconds or a date", () => {
    expect(retryAfterSeconds("7")).toBe(7);
    expect(retryAfterSeconds(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(retryAfterSeconds(undefined)).toBeUndefined();
  });

  it("calls that need a key, a signer or a WebSocket URL say so before sending anything", async () => {
    const bare = new TensorNode({ baseURL: "http://api.invalid" });
    await expect(bare.account()).rejects.toMatchObject({ code: "missing_api_key" });
    await expect(bare.openAccount()).rejects.toMatchObject({ code: "missing_signer" });
    await expect(bare.withApiKey("tn_x").stream.chat({ model: "m", messages: [] })).rejects.toMatchObject({ code: "missing_websocket_url" });
    expect(() => new TensorNode({} as never)).toThrow(TensorNodeError);
  });
});
