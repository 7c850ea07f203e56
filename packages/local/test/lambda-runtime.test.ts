import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LambdaRuntime, LambdaTimeoutError } from "../src/lambda-runtime.js";
import { quietLog, type LocalLog } from "../src/log.js";

/** Handler strings resolve against this folder: `functions/echo.handler` → fixtures/functions/echo.ts. */
const fixturesRoot = fileURLToPath(new URL("./fixtures", import.meta.url));

/** A LocalLog that keeps its lines, to see what the runtime reports. */
function recordingLog() {
  const lines: Array<{ component: string; message: string; attributes: Record<string, unknown> }> = [];
  const log: LocalLog = (component, message, attributes = {}) => lines.push({ component, message, attributes });
  return { log, lines };
}

describe("LambdaRuntime: calling a handler", () => {
  it("returns the handler's result and gives it a Lambda context named after the handler string", async () => {
    // Prepare
    const invoke = new LambdaRuntime(fixturesRoot, quietLog).invoker("functions/echo.handler", 1);

    // Act
    const result = (await invoke({ hello: "world" })) as Record<string, unknown>;

    // Assess
    expect(result).toMatchObject({
      event: { hello: "world" },
      functionName: "functions-echo",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:functions-echo",
      logGroupName: "/aws/lambda/functions-echo",
    });
    expect(result.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.remainingTimeInMillis).toBeGreaterThan(0);
    expect(result.remainingTimeInMillis).toBeLessThanOrEqual(1_000);
  });

  it("gives every call its own request id", async () => {
    // Prepare
    const invoke = new LambdaRuntime(fixturesRoot, quietLog).invoker("functions/echo.handler", 1);

    // Act
    const [first, second] = (await Promise.all([invoke({}), invoke({})])) as Array<{ awsRequestId: string }>;

    // Assess
    expect(first!.awsRequestId).not.toBe(second!.awsRequestId);
  });

  it("imports the module once and serves later calls from the same instance (a warm container)", async () => {
    // Prepare
    const runtime = new LambdaRuntime(fixturesRoot, quietLog);
    const invoke = runtime.invoker("functions/counter.handler", 1);
    const sameFunctionElsewhere = runtime.invoker("functions/counter.handler", 1);

    // Act
    const results = [await invoke({}), await invoke({}), await sameFunctionElsewhere({})];

    // Assess
    expect(results).toEqual([
      { evaluations: 1, calls: 1 },
      { evaluations: 1, calls: 2 },
      { evaluations: 1, calls: 3 },
    ]);
  });
});

describe("LambdaRuntime: failures", () => {
  it("fails a call that outlives its timeout with Lambda's 'Task timed out' error", async () => {
    // Prepare
    const invoke = new LambdaRuntime(fixturesRoot, quietLog).invoker("functions/slow.handler", 1);
    const started = Date.now();

    // Act
    const error = await invoke({}).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    // Assess
    expect(error).toBeInstanceOf(LambdaTimeoutError);
    expect((error as Error).message).toBe("functions-slow: Task timed out after 1.00 seconds");
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1_500);
  });

  it("rejects when the module lacks the named export, naming the module and the export", async () => {
    // Prepare
    const invoke = new LambdaRuntime(fixturesRoot, quietLog).invoker("functions/broken.handler", 1);

    // Act
    const call = invoke({});

    // Assess
    await expect(call).rejects.toThrow(/fixtures\/functions\/broken\.ts has no exported function 'handler'/);
  });

  it("rejects with the handler's own error and logs the failed invocation", async () => {
    // Prepare
    const { log, lines } = recordingLog();
    const invoke = new LambdaRuntime(fixturesRoot, log).invoker("functions/throws.handler", 1);

    // Act
    const error = await invoke({ reason: "out of credit" }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: "OrderRejected", message: "rejected: out of credit" });
    expect(lines).toEqual([
      {
        component: "lambda",
        message: "invocation failed",
        attributes: { functionName: "functions-throws", awsRequestId: expect.any(String), error: expect.stringContaining("OrderRejected: rejected: out of credit") },
      },
    ]);
  });
});
