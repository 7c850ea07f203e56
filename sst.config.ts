/**
 * TensorNode production infrastructure (SST v2 on AWS CDK).
 *
 * Stacks (see stacks/README.md): `Backend` (table, queues, HTTP + WebSocket APIs, crons, secrets)
 * and `Web` (the dashboard). Everything is derived from `stacks/manifest.ts` and
 * `packages/aws/src/dynamodb/table-definition.ts`.
 *
 * Deploy (needs AWS credentials for the target account; the first deploy bootstraps CDK/SST):
 *
 *   export SST_TELEMETRY_DISABLED=1
 *   npx sst secrets set HEDERA_OPERATOR_ID  0.0.1234        --stage prod
 *   npx sst secrets set HEDERA_OPERATOR_KEY 302e0201...     --stage prod
 *   npx sst secrets set FLUENCE_API_KEY     <key>           --stage prod
 *   npx sst deploy --stage prod
 *
 * HEDERA_NETWORK is a plain `Config.Parameter` ("testnet"), changed in stacks/Secrets.ts.
 * Offline check without credentials: `npx vitest run stacks/test` (synthesizes both stacks).
 * Do not run `sst build`/`sst deploy` in offline CI: they call STS and CloudFormation first.
 */
import type { SSTConfig } from "sst";
import type { App } from "sst/constructs";
import { Backend } from "./stacks/Backend";
import { Web } from "./stacks/Web";

export default {
  config() {
    return { name: "tensornode", region: "us-east-1" };
  },
  stacks(app: App) {
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: "512 MB",
      environment: {
        POWERTOOLS_SERVICE_NAME: "tensornode",
        POWERTOOLS_METRICS_NAMESPACE: "TensorNode",
      },
      // Bundle everything, the AWS SDK included: functions run the SDK version pinned and tested
      // in package-lock.json, not whatever the Lambda runtime ships. Costs ~1 MB per bundle and a
      // little cold-start time; `external: ["@aws-sdk/*"]` would shrink bundles to tens of KB.
      nodejs: { esbuild: { external: [] } },
    });
    app.stack(Backend).stack(Web);
  },
} satisfies SSTConfig;
