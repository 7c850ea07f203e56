import { PassThrough, Writable } from "node:stream";

/**
 * Lambda response streaming, as the Node.js runtime provides it: the `awslambda` global
 * (`streamifyResponse`, `HttpResponseStream.from`) and the response stream a streaming handler
 * writes to. Modelled on aws-lambda-nodejs-runtime-interface-client (UserFunction.js,
 * HttpResponseStream.js, ResponseStream.js), whose wire format the Function URL service decodes:
 *
 *   content type application/vnd.awslambda.http-integration-response
 *   body         JSON prelude {statusCode, headers, cookies} + 8 NUL bytes + the body bytes
 *
 * The prelude is written just before the first body write, so a handler that ends the stream
 * without ever writing sends no prelude at all (that is why adapters write "" for empty bodies).
 */

/** The marker the runtime looks for on a handler to invoke it with a response stream. */
export const HANDLER_STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
export const HANDLER_HIGH_WATER_MARK = Symbol.for("aws.lambda.runtime.handler.streaming.highWaterMark");
export const STREAM_RESPONSE = "response";
export const HTTP_INTEGRATION_RESPONSE = "application/vnd.awslambda.http-integration-response";
/** Eight NUL bytes end the JSON prelude; JSON.stringify never emits a raw NUL, so the first run is the delimiter. */
export const PRELUDE_DELIMITER = new Uint8Array(8);
const DEFAULT_CONTENT_TYPE = "application/octet-stream";

type Write = (chunk: string | Uint8Array) => void;

/**
 * The writable a streaming handler receives. Every byte it accepts (prelude included) goes to
 * `body`, a readable with backpressure: a handler writing faster than the client reads waits,
 * as it does behind the Runtime API.
 */
export class LambdaResponseStream extends Writable {
  /** Read side: what the invoking service (the Function URL) receives, in order. */
  readonly body: PassThrough;
  /** Set by `HttpResponseStream.from`: writes the prelude just before the first body write. */
  _onBeforeFirstWrite: ((write: Write) => void) | undefined;
  /** Resolves at the first write (the prelude and content type are then final) or at the end. */
  readonly committed: Promise<void>;
  private commit!: () => void;
  private contentType = DEFAULT_CONTENT_TYPE;
  private wrote = false;

  constructor(highWaterMark?: number) {
    super(highWaterMark ? { highWaterMark } : {});
    this.body = new PassThrough(highWaterMark ? { highWaterMark } : {});
    this.committed = new Promise((resolve) => (this.commit = resolve));
  }

  setContentType(contentType: string): void {
    if (this.wrote) throw new Error("setContentType must be called before the first write");
    this.contentType = contentType;
  }

  getContentType(): string {
    return this.contentType;
  }

  /** True once any byte (or an empty write) reached the stream, i.e. the prelude is committed. */
  get started(): boolean {
    return this.wrote;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.wrote) {
      this.wrote = true;
      this._onBeforeFirstWrite?.((bytes) => void this.body.write(bytes));
      this.commit();
    }
    if (this.body.write(chunk)) callback();
    else this.body.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.commit();
    this.body.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A stream destroyed before it finished is an interrupted response, never a complete one.
    if (!this.body.writableEnded) this.body.destroy(error ?? new Error("The response stream was destroyed before it ended"));
    callback(error);
  }
}

/** `awslambda.HttpResponseStream.from`: commits status, headers and cookies ahead of the body. */
export class HttpResponseStream {
  static from(stream: Writable, prelude: Record<string, unknown>): Writable {
    const target = stream as LambdaResponseStream;
    target.setContentType(HTTP_INTEGRATION_RESPONSE);
    const metadata = JSON.stringify(prelude);
    target._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(PRELUDE_DELIMITER);
    };
    return target;
  }
}

type AnyHandler = ((...args: never[]) => unknown) & { [HANDLER_STREAMING]?: string; [HANDLER_HIGH_WATER_MARK]?: number };

/** `awslambda.streamifyResponse`: marks the handler; the runtime then calls it as (event, responseStream, context). */
export function streamifyResponse<H extends AnyHandler>(handler: H, options?: { highWaterMark?: number }): H {
  handler[HANDLER_STREAMING] = STREAM_RESPONSE;
  if (options?.highWaterMark !== undefined) handler[HANDLER_HIGH_WATER_MARK] = options.highWaterMark;
  return handler;
}

export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === "function" && (handler as AnyHandler)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

export function highWaterMarkOf(handler: unknown): number | undefined {
  return typeof handler === "function" ? (handler as AnyHandler)[HANDLER_HIGH_WATER_MARK] : undefined;
}

/**
 * Installs `globalThis.awslambda.streamifyResponse` and `.HttpResponseStream` like the Lambda
 * Node.js runtime does before it loads a handler module (handler modules call
 * `awslambda.streamifyResponse` at import time). The object may already exist: the AWS SDK's
 * `@aws/lambda-invoke-store` creates it for its `InvokeStore`. Members already there are kept, so
 * a real runtime's win.
 */
export function installAwsLambdaGlobal(): void {
  const scope = globalThis as { awslambda?: Record<string, unknown> };
  const awslambda = (scope.awslambda ??= {});
  awslambda.streamifyResponse ??= streamifyResponse;
  awslambda.HttpResponseStream ??= HttpResponseStream;
}
