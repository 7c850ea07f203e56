import { defineConfig } from "vitest/config";

/**
 * One vitest run covers everything: unit tests, adapter contract tests against the live local
 * servers, the offline SST synth test and the end-to-end tests through the local runtime.
 */
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "functions/test/**/*.test.ts", "stacks/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: the slow suites (Java DynamoDB Local, SST synth) must not all start at once.
    maxWorkers: 2,
    reporters: ["default", "./scripts/summary-reporter.ts"],
    env: {
      // SST synthesizes offline only in test mode; CI may export NODE_ENV=production.
      NODE_ENV: "test",
      SST_TELEMETRY_DISABLED: "1",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      // The pinned SDK runs on Node 20; its "Node 22 from 2027" notice is known (see README).
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Handlers log and emit metrics on stdout; tests that check them turn them back on.
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
  },
});
