/**
 * Typed errors. Every failure the SDK reports is a `TensorNodeError`; the subclass says what kind
 * (by HTTP status), and `type`/`code`/`param` come from the API's OpenAI-style error body
 * `{"error": {"message", "type", "param", "code"}}`, so callers can branch without parsing text.
 *
 * @example
 * try {
 *   await tn.keys.create({ name: "ci" });
 * } catch (error) {
 *   if (error instanceof RateLimitError) await sleep((error.retryAfterSeconds ?? 1) * 1000);
 *   else throw error;
 * }
 */

export interface ErrorFields {
  /** The HTTP status (or the status a WebSocket error event stands for); undefined for connection errors. */
  status?: number | undefined;
  type?: string | null | undefined;
  code?: string | null | undefined;
  param?: string | null | undefined;
  /** The API's `x-request-id`, to quote when reporting a problem. */
  requestId?: string | null | undefined;
  cause?: unknown;
}

export class TensorNodeError extends Error {
  readonly status: number | undefined;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  readonly requestId: string | null;

  constructor(message: string, fields: ErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = "TensorNodeError";
    this.status = fields.status;
    this.type = fields.type ?? null;
    this.code = fields.code ?? null;
    this.param = fields.param ?? null;
    this.requestId = fields.requestId ?? null;
  }
}

/** 401: missing, unknown or revoked API key; a signature that does not verify. */
export class AuthenticationError extends TensorNodeError {
  override readonly name = "AuthenticationError";
}

/** 403: authenticated, but not allowed to do this. */
export class PermissionError extends TensorNodeError {
  override readonly name = "PermissionError";
}

/** 404: unknown model, job, key, account or route. */
export class NotFoundError extends TensorNodeError {
  override readonly name = "NotFoundError";
}

/** 400, 409, 413, 415 (and any other 4xx without a class of its own): the request itself is wrong. */
export class InvalidRequestError extends TensorNodeError {
  override readonly name = "InvalidRequestError";
}

/** 402: the account's balance, or the key's spending limit, cannot pay for the request. */
export class PaymentRequiredError extends TensorNodeError {
  override readonly name = "PaymentRequiredError";
}

/** 429: the key's rate limit. `retryAfterSeconds` comes from `Retry-After`. */
export class RateLimitError extends TensorNodeError {
  override readonly name = "RateLimitError";
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, fields: ErrorFields & { retryAfterSeconds?: number | undefined } = {}) {
    super(message, fields);
    this.retryAfterSeconds = fields.retryAfterSeconds;
  }
}

/** 5xx: the network failed to serve the request (502: every miner that could serve it failed). */
export class ServerError extends TensorNodeError {
  override readonly name = "ServerError";
}

/** The API could not be reached, the request timed out, or a WebSocket closed mid-stream. */
export class ConnectionError extends TensorNodeError {
  override readonly name = "ConnectionError";
}

/** The error body's fields, from whatever the server sent (it may not be JSON at all). */
function detailOf(body: unknown): { message?: string; type?: string; code?: string; param?: string } {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== "object" || error === null) return {};
  const pick = (key: string) => {
    const value = (error as Record<string, unknown>)[key];
    return typeof value === "string" ? value : undefined;
  };
  const detail: { message?: string; type?: string; code?: string; param?: string } = {};
  for (const key of ["message", "type", "code", "param"] as const) {
    const value = pick(key);
    if (value !== undefined) detail[key] = value;
  }
  return detail;
}

/** The error class for a status: one place, so HTTP and WebSocket errors map alike. */
export function errorFor(status: number, body: unknown, extra: { requestId?: string | null; retryAfterSeconds?: number | undefined } = {}): TensorNodeError {
  const detail = detailOf(body);
  const message = detail.message ?? `HTTP ${status}`;
  const fields: ErrorFields = { status, type: detail.type, code: detail.code, param: detail.param, requestId: extra.requestId };
  if (status === 401) return new AuthenticationError(message, fields);
  if (status === 402) return new PaymentRequiredError(message, fields);
  if (status === 403) return new PermissionError(message, fields);
  if (status === 404) return new NotFoundError(message, fields);
  if (status === 429) return new RateLimitError(message, { ...fields, retryAfterSeconds: extra.retryAfterSeconds });
  if (status >= 500) return new ServerError(message, fields);
  if (status >= 400) return new InvalidRequestError(message, fields);
  return new TensorNodeError(message, fields);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * WebSocket error events carry the body but not always a status (`subscribe` errors don't);
 * the API's error `type` and domain `code` say which status they stand for.
 */
const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  request_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  payment_required: 402,
  unavailable: 503,
  upstream_failed: 502,
};
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  insufficient_quota: 402,
  rate_limit_error: 429,
  server_error: 500,
};

/** The typed error for a WebSocket `{"type":"error", "status"?, "error": {...}}` event. */
export function errorFromEvent(event: { status?: unknown; error?: unknown }): TensorNodeError {
  const detail = detailOf(event);
  const status = typeof event.status === "number" ? event.status : (STATUS_BY_CODE[detail.code ?? ""] ?? STATUS_BY_TYPE[detail.type ?? ""] ?? 500);
  return errorFor(status, event);
}
