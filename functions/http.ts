import { createApp, type ApiDeps } from "@tensornode/api";
import { handle } from "hono/aws-lambda";
import type { Context } from "aws-lambda";
import { lambda } from "./lib/lambda.js";
import { getServices, treasuryAccountId } from "./lib/services.js";

let deps: ApiDeps | undefined;

/** The API's dependencies, built once per container on the first request. */
function resolveDeps(): ApiDeps {
  if (deps) return deps;
  const s = getServices();
  deps = {
    ...s,
    inference: s.inference(),
    queue: s.inferenceQueue(),
    publicKeyOf: async (accountId: string) => (await s.accountKeys()).publicKeyOf(accountId),
    treasuryAccountId,
    maxBodyBytes: s.config.maxBodyBytes,
    maxUploadBytes: s.config.maxUploadBytes,
    version: s.config.version,
  };
  return deps;
}

/** Waits for the usage charges written in the background (a frozen container would hold them). Also used by http-stream.ts. */
export async function drainUsage(): Promise<void> {
  if (deps) await deps.inference.meter.drain();
}

/** The whole HTTP API: API Gateway's `$default` route sends every request here. Exported so benchmarks serve this very app on Node. */
export const app = createApp(resolveDeps);

/**
 * Wrapped like every entry point, so its logs carry this function's Lambda context. Usage charges
 * are written in the background; on Lambda the invocation waits for them before it returns,
 * because a frozen container would hold them until its next request (or lose them).
 */
const honoHandler = handle(app);
export const handler = lambda(async (event: Parameters<typeof honoHandler>[0], context: Context) => {
  try {
    return await honoHandler(event, context);
  } finally {
    if (deps) await deps.inference.meter.drain();
  }
});
