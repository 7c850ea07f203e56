import { toHttpError } from "@tensornode/api";

/** The same OpenAI-style error body as the HTTP API, tagged as a WebSocket event. */
export function toWebSocketError(error: unknown) {
  const { status, body } = toHttpError(error);
  return { statusCode: status, body: { type: "error", ...body } };
}
