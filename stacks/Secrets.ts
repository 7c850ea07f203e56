import { Config, type Stack } from "sst/constructs";

/**
 * Hedera and Fluence credentials. Secrets live in SSM Parameter Store (SecureString), set once
 * per stage with `npx sst secrets set NAME value --stage prod`; bound functions get
 * `ssm:GetParameters` on exactly these parameters and read them through `sst/node/config`.
 *
 * Only functions that talk to Hedera or Fluence bind these (see Backend.ts: the settlement
 * consumer and the health-probe cron).
 */
export function createSecrets(stack: Stack) {
  return {
    HEDERA_OPERATOR_ID: new Config.Secret(stack, "HEDERA_OPERATOR_ID"),
    HEDERA_OPERATOR_KEY: new Config.Secret(stack, "HEDERA_OPERATOR_KEY"),
    FLUENCE_API_KEY: new Config.Secret(stack, "FLUENCE_API_KEY"),
    HEDERA_NETWORK: new Config.Parameter(stack, "HEDERA_NETWORK", { value: "testnet" }),
  };
}

export type Secrets = ReturnType<typeof createSecrets>;
