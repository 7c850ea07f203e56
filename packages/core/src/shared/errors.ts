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
  | "unavailable";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The request field the error is about, when there is one (OpenAI's `param`). */
  readonly param: string | null;

  constructor(code: DomainErrorCode, message: string, param: string | null = null) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.param = param;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
