import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Logger } from "@tensornode/core";
import type { GenerationResult } from "../engines/engine.js";
import { toHttpError } from "./errors.js";
import { usageOf, type Usage } from "./generation.js";

/** How one endpoint shapes its SSE chunks (chat and legacy completions differ). */
export interface ChunkShape {
  /** Sent before any text (chat: the `role` delta). */
  start?: () => object;
  delta: (text: string) => object;
  finish: (reason: GenerationResult["finishReason"]) => object;
  /** The extra chunk sent when `stream_options.include_usage` is true. */
  usage: (usage: Usage | null) => object;
}

export interface StreamOptions {
  shape: ChunkShape;
  includeUsage: boolean;
  /** Runs the engine; `onText` receives the deltas, `signal` aborts when the client goes away. */
  run: (signal: AbortSignal, onText: (text: string) => void) => Promise<GenerationResult>;
  /** Frees the engine slot; called as soon as generation ends, before the last bytes are flushed. */
  release: () => void;
  logger: Logger;
}

/**
 * OpenAI-style SSE: `data: <chunk json>` events, then `data: [DONE]`. An error after the 200
 * header is sent as one `data: {"error": {...}}` event (OpenRouter's convention) and no [DONE].
 */
export function streamGeneration(c: Context, options: StreamOptions): Response {
  const { shape, includeUsage, run, release, logger } = options;
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    // Writes are queued so the engine's token callback never waits for the client.
    let writes = Promise.resolve();
    const send = (data: object | string) => {
      const text = typeof data === "string" ? data : JSON.stringify(data);
      writes = writes.then(() => stream.writeSSE({ data: text }).then(() => undefined));
    };
    try {
      if (shape.start) send(shape.start());
      let result: GenerationResult;
      try {
        result = await run(abort.signal, (text) => {
          if (text !== "") send(shape.delta(text));
        });
      } finally {
        release();
      }
      send(shape.finish(result.finishReason));
      if (includeUsage) send(shape.usage(usageOf(result)));
      send("[DONE]");
      await writes;
    } catch (error) {
      if (abort.signal.aborted) return;
      const { status, body } = toHttpError(error);
      if (status >= 500) logger.error("stream failed", { error: (error as Error).stack ?? String(error) });
      send(body);
      await writes;
    }
  });
}
