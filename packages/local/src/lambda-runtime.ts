import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import type { LocalLog } from "./log.js";

type Handler = (event: unknown, context: Context) => Promise<unknown>;

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
 * Unlike Lambda, concurrent calls of one function share one module instance; the handlers keep
 * no per-request module state except what Powertools resets per invocation.
 */
export class LambdaRuntime {
  private readonly loaded = new Map<string, Promise<Handler>>();

  constructor(
    private readonly rootDir: string,
    private readonly log: LocalLog,
  ) {}

  /** An invoker for one function; the module is imported on first use and then reused (a warm container). */
  invoker(handlerRef: string, timeoutSeconds: number): (event: unknown) => Promise<unknown> {
    const functionName = handlerRef.replace(/\.[^.]+$/, "").replaceAll("/", "-");
    return async (event) => {
      const handler = await this.load(handlerRef);
      const started = Date.now();
      const deadline = started + timeoutSeconds * 1000;
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
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeoutError(functionName, timeoutSeconds)), timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([handler(event, context), timeout]);
      } catch (error) {
        this.log("lambda", "invocation failed", { functionName, awsRequestId, error: (error as Error).stack ?? String(error) });
        throw error;
      } finally {
        clearTimeout(timer);
      }
    };
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
