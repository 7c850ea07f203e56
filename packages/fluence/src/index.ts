/** @module @tensornode/fluence Fluence CPU Cloud VM API client and miner-VM provisioner. */
export * from "./types.js";
export { FluenceClient, FluenceApiError, FluenceTimeoutError, FLUENCE_BASE_URL, parseRetryAfter } from "./fluence-client.js";
export type { FluenceClientOptions, CallOptions, FluenceErrorCode } from "./fluence-client.js";
export { minerCloudInit, MINER_ENV_PATH } from "./cloud-init.js";
export type { MinerCloudInitOptions } from "./cloud-init.js";
export { provisionMinerVm, deprovision, defaultReachable, ProvisionError, DEFAULT_OS_IMAGE } from "./provisioner.js";
export type { ProvisionOptions, ProvisionStep, ProvisionedMiner } from "./provisioner.js";
export { compareDecimal, addDecimal, multiplyDecimal, isDecimalString } from "./money.js";
export { FluenceHostProvider, MINER_CONFIG_ENV, minerConfigFor } from "./host-provider.js";
export type { FluenceHostProviderOptions } from "./host-provider.js";
