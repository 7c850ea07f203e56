import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Context } from "aws-lambda";
import type { LocalLog } from "./log.js";
import { LambdaResponseStream, highWaterMarkOf, installAwsLambdaGlobal, isStreamingHandler } from "./response-streaming.js";

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type StreamingHandler = (event: unknown, responseStream: LambdaResponseStream, context: Context) => Promise<unknown>;

/** What a response-streaming invocation yields: the committed stream, or a buffered handler's whole result. */
export type StreamingInvocation =
  | { streaming: false; result: unknown }
  | { streaming: true; contentType: string; body: Readable; completion: Promise<void> };

export class LambdaTimeoutError extends Error {
  constructor(functionName: string, seconds: number) {
    super(`${functionName}: Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = "LambdaTimeoutError";
  }
}

/**
 * Runs the real `functions/` handlers in this process, the way Lambda would call them: a handler
 * string `functions/ws/connect.handler` names a module (resolved as `.ts` under the repository
 * root) and an export; each call gets a Lambda `Context` with a request id and a deadline, and a
 * call that outlives its timeout is failed like Lambda fails it.
 *
 * Handlers wrapped by `awslambda.streamifyResponse` are served by `streamingInvoker`, as a Function
 * URL in RESPONSE_STREAM mode serves them.
 *
 * Unlike Lambda, concurrent calls of one function share one module instance; the handlers keep
 * no per-request module state except what Powertools resets per invocation.
 */
export class LambdaRuntime {
  private readonly loaded = new Map<string, Promise<Handler>>();

  constructor(
    private readonly rootDir: string,
    private readonly log: LocalLog,
  ) {
    // The Node.js runtime defines `awslambda` before it loads any handler module.
    installAwsLambdaGlobal();
  }

  /** An invoker for one function; the module is imported on first use and then reused (a warm container). */
  invoker(handlerRef: string, timeoutSeconds: number): (event: unknown) => Promise<unknown> {
    const functionName = functionNameOf(handlerRef);
    return async (event) => {
      const handler = await this.load(handlerRef);
      const { context, awsRequestId } = lambdaContext(functionName, timeoutSeconds);
      return this.run(functionName, awsRequestId, timeoutSeconds, () => handler(event, context));
    };
  }

  /**
   * An invoker the way a Function URL in RESPONSE_STREAM mode calls a function
   * (InvokeWithResponseStream). A handler wrapped by `awslambda.streamifyResponse` gets a response
   * stream; the call resolves as soon as the stream is committed (first write, or end), with the
   * bytes still flowing through `body`, and `completion` settles when the invocation ends (which
   * may be after the body ended: the handler can keep working, as in Lambda). Failing before the
   * first write rejects the call; failing later destroys `body`. Other handlers are invoked as
   * usual and their result is returned whole.
   */
  streamingInvoker(handlerRef: string, timeoutSeconds: number): (event: unknown) => Promise<StreamingInvocation> {
    const functionName = functionNameOf(handlerRef);
    return async (event) => {
      const handler = await this.load(handlerRef);
      const { context, awsRequestId } = lambdaContext(functionName, timeoutSeconds);
      if (!isStreamingHandler(handler)) {
        return { streaming: false, result: await this.run(functionName, awsRequestId, timeoutSeconds, () => handler(event, context)) };
      }
      const stream = new LambdaResponseStream(highWaterMarkOf(handler));
      // A failure is reported once, through `completion`; the streams' own error events are expected.
      stream.on("error", () => {});
      stream.body.on("error", () => {});
      const completion = this.run(functionName, awsRequestId, timeoutSeconds, async () => {
        await (handler as unknown as StreamingHandler)(event, stream, context);
        // A handler that returns with its stream still open: the runtime closes the response.
        if (!stream.writableEnded) stream.end();
        await finished(stream);
      });
      completion.catch((error: unknown) => {
        if (!stream.writableFinished) stream.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      await Promise.race([stream.committed, completion]);
      return { streaming: true, contentType: stream.getContentType(), body: stream.body, completion };
    };
  }

  /** Runs one invocation under its timeout, logging a failure the way Lambda reports it. */
  private async run<T>(functionName: string, awsRequestId: string, timeoutSeconds: number, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(functionName, timeoutSeconds)), timeoutSeconds * 1000);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      this.log("lambda", "invocation failed", { functionName, awsRequestId, error: (error as Error).stack ?? String(error) });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private load(handlerRef: string): Promise<Handler> {
    let loading = this.loaded.get(handlerRef);
    if (!loading) {
      loading = importHandler(this.rootDir, handlerRef);
      this.loaded.set(handlerRef, loading);
    }
    return loading;
  }
}

async function importHandler(rootDir: string, handlerRef: string): Promise<Handler> {
  const dot = handlerRef.lastIndexOf(".");
  const modulePath = join(rootDir, `${handlerRef.slice(0, dot)}.ts`);
  const exportName = handlerRef.slice(dot + 1);
  const module = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const handler = module[exportName];
  if (typeof handler !== "function") throw new Error(`${modulePath} has no exported function '${exportName}'`);
  return handler as Handler;
}

function functionNameOf(handlerRef: string): string {
  return handlerRef.replace(/\.[^.]+$/, "").replaceAll("/", "-");
}

/** A Lambda `Context` with a fresh request id and the invocation's deadline. */
function lambdaContext(functionName: string, timeoutSeconds: number): { context: Context; awsRequestId: string } {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  const context: Context = {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  return { context, awsRequestId };
}
