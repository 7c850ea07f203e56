import { isDomainError, type DomainErrorCode } from "@tensornode/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { EngineInputError } from "../engines/engine.js";

/** OpenAI's error body (same shape as @tensornode/api): `{"error": {"message", "type", "param", "code"}}`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(type: string, message: string, code: string | null = null, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/** An error that already knows its HTTP answer (status, OpenAI type/code, extra headers). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const STATUS_BY_CODE: Record<DomainErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payment_required: 402,
  unavailable: 503,
  upstream_failed: 502,
};

export function typeForStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export interface HttpErrorAnswer {
  status: ContentfulStatusCode;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
}

/**
 * Maps anything thrown to an answer. Besides HttpError and the core's DomainError, any error with
 * a 4xx numeric `status` (what the `authorize` hook throws, e.g. 401) keeps its status and message.
 * Everything else is a 500 that reveals nothing.
 */
export function toHttpError(error: unknown): HttpErrorAnswer {
  if (error instanceof HttpError) {
    return { status: error.status, body: errorBody(typeForStatus(error.status), error.message, error.code, error.param), headers: error.headers };
  }
  if (error instanceof EngineInputError) {
    return { status: 400, body: errorBody("invalid_request_error", error.message, error.code, error.param), headers: {} };
  }
  if (isDomainError(error)) {
    const status = STATUS_BY_CODE[error.code];
    const headers: Record<string, string> = error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return { status, body: errorBody(typeForStatus(status), error.message, error.code, error.param), headers };
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && Number.isInteger(status) && status >= 400 && status < 500) {
    const message = (error as Error).message || "The request was refused.";
    const code = (error as { code?: unknown }).code;
    return { status: status as ContentfulStatusCode, body: errorBody(typeForStatus(status), message, typeof code === "string" ? code : null), headers: {} };
  }
  return { status: 500, body: errorBody("server_error", "The server had an error while processing your request.", "internal_error"), headers: {} };
}
