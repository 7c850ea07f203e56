import { isDomainError, type DomainErrorCode } from "@tensornode/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The OpenAI error body, so existing clients parse our errors unchanged:
 * `{"error": {"message", "type", "param", "code"}}`.
 */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const STATUS_BY_CODE: Record<DomainErrorCode, { status: ContentfulStatusCode; type: string }> = {
  invalid_request: { status: 400, type: "invalid_request_error" },
  unauthenticated: { status: 401, type: "authentication_error" },
  forbidden: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "not_found_error" },
  conflict: { status: 409, type: "invalid_request_error" },
  rate_limited: { status: 429, type: "rate_limit_error" },
  payment_required: { status: 402, type: "insufficient_quota" },
  unavailable: { status: 503, type: "server_error" },
  upstream_failed: { status: 502, type: "server_error" },
};

export function errorBody(type: string, message: string, code: string | null = null, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/** Maps any thrown value to a status and body. Unknown errors become a 500 that reveals nothing. */
export function toHttpError(error: unknown): { status: ContentfulStatusCode; body: OpenAiErrorBody; headers?: Record<string, string> } {
  if (isDomainError(error)) {
    const { status, type } = STATUS_BY_CODE[error.code];
    const headers = error.retryAfterSeconds !== undefined ? { "retry-after": String(error.retryAfterSeconds) } : undefined;
    return { status, body: errorBody(type, error.message, error.code, error.param), ...(headers && { headers }) };
  }
  return { status: 500, body: errorBody("server_error", "The server had an error while processing your request.", "internal_error") };
}
