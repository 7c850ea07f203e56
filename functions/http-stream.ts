import type { Context, LambdaFunctionURLEvent } from "aws-lambda"; // also declares the `awslambda` global
import type { Writable } from "node:stream";
import { app, drainUsage } from "./http.js";
import { lambda } from "./lib/lambda.js";
import { requestOf, writeResponse } from "./lib/response-stream.js";

/**
 * The same Hono app as functions/http.ts, behind a Lambda Function URL in RESPONSE_STREAM mode:
 * `stream: true` chat completions reach the client as Server-Sent Events chunk by chunk, where
 * API Gateway (functions/http.ts) delivers the whole body at the end.
 *
 * Usage charges are written in the background while the body streams; the invocation waits for
 * them after the body has ended (the client already has it), as functions/http.ts does.
 */
const streams = new WeakMap<LambdaFunctionURLEvent, Writable>();

/** Wrapped like every entry point (Powertools logger context, metrics flush). */
const serve = lambda(async (event: LambdaFunctionURLEvent, context: Context) => {
  try {
    const response = await app.fetch(requestOf(event), { event, requestContext: event.requestContext, lambdaContext: context });
    await writeResponse(response, streams.get(event)!);
  } finally {
    streams.delete(event);
    await drainUsage();
  }
});

export const handler = awslambda.streamifyResponse<LambdaFunctionURLEvent>(async (event, responseStream, context) => {
  // middy hands a handler only (event, context): the stream travels alongside the event.
  streams.set(event, responseStream);
  await serve(event, context);
});
