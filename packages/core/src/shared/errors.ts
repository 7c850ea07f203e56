/**
 * Domain errors carry a stable `code` and no transport detail: the edges (HTTP, WebSocket, SQS)
 * decide what a code means for their callers. Anything that is not a DomainError is a bug and
 * is reported as an internal error without leaking its message.
 */
export type DomainErrorCode =
  | "invalid_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  /** The account's balance (or the key's spending limit) cannot pay for the request. */
  | "payment_required"
  | "unavailable"
  /** Every miner that could serve the request failed or timed out. */
  | "upstream_failed";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The request field the error is about, when there is one (OpenAI's `param`). */
  readonly param: string | null;
  /** Seconds after which retrying may succeed (rate limits, saturation), sent as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: DomainErrorCode, message: string, param: string | null = null, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
