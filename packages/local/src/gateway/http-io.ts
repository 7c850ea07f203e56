import type { IncomingMessage, ServerResponse } from "node:http";

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Buffers a request body up to `limit` bytes. Past the limit it stops buffering at once (a
 * declared Content-Length over the limit is refused before any byte is read), so an oversized
 * upload never reaches the handler or fills memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    if (Number(req.headers["content-length"] ?? 0) > limit) return resolve({ ok: false, reason: "too-large" });
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ ok: false, reason: "too-large" });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    const onClose = () => finish({ ok: false, reason: "aborted" });
    // A client that goes away mid-upload makes `req` emit "error"; unhandled, that would crash.
    req.on("error", () => {});
    req.on("data", onData).on("end", onEnd).on("close", onClose);
  });
}

/**
 * Sends a JSON error/status body. `close` asks Node to drop the connection after the response,
 * for the case where the rest of the request body was deliberately left unread.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  close = false,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(text);
}
