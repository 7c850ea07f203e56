import { Config, type Stack } from "sst/constructs";

/**
 * Hedera and Fluence credentials. Secrets live in SSM Parameter Store (SecureString), set once
 * per stage with `npx sst secrets set NAME value --stage prod`; bound functions get
 * `ssm:GetParameters` on exactly these parameters and read them through `sst/node/config`.
 *
 * Only functions that talk to Hedera or Fluence bind these (see Backend.ts: the settlement
 * consumer and the health-probe cron). The dispatch key (which miners accept work signed by) is
 * bound only to the functions that dispatch: the HTTP API, the WebSocket chat route and the
 * inference consumer. Account ids are public, so they are plain parameters.
 */
export function createSecrets(stack: Stack) {
  return {
    HEDERA_OPERATOR_ID: new Config.Secret(stack, "HEDERA_OPERATOR_ID"),
    HEDERA_OPERATOR_KEY: new Config.Secret(stack, "HEDERA_OPERATOR_KEY"),
    FLUENCE_API_KEY: new Config.Secret(stack, "FLUENCE_API_KEY"),
    /** Public SSH keys (comma-separated) Fluence requires on every VM it creates for a hosted miner. */
    FLUENCE_SSH_KEYS: new Config.Secret(stack, "FLUENCE_SSH_KEYS"),
    HEDERA_NETWORK: new Config.Parameter(stack, "HEDERA_NETWORK", { value: "testnet" }),
    DISPATCHER_KEY: new Config.Secret(stack, "DISPATCHER_KEY"),
    DISPATCHER_ACCOUNT_ID: new Config.Parameter(stack, "DISPATCHER_ACCOUNT_ID", { value: "0.0.0" }),
    TREASURY_ACCOUNT_ID: new Config.Parameter(stack, "TREASURY_ACCOUNT_ID", { value: "0.0.0" }),
  };
}

export type Secrets = ReturnType<typeof createSecrets>;
