import { createApp } from "@tensornode/api";
import { handle } from "hono/aws-lambda";
import type { Context } from "aws-lambda";
import { lambda } from "./lib/lambda.js";
import { getServices } from "./lib/services.js";

/** The whole HTTP API: API Gateway's `$default` route sends every request here. Exported so benchmarks serve this very app on Node. */
export const app = createApp(() => {
  const s = getServices();
  return {
    ...s,
    queue: s.inferenceQueue(),
    publicKeyOf: async (accountId: string) => (await s.accountKeys()).publicKeyOf(accountId),
    maxBodyBytes: s.config.maxBodyBytes,
    version: s.config.version,
  };
});

/** Wrapped like every entry point, so its logs carry this function's Lambda context. */
const honoHandler = handle(app);
export const handler = lambda((event: Parameters<typeof honoHandler>[0], context: Context) => honoHandler(event, context));
