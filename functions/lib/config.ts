import { manifest } from "../../stacks/manifest.js";

/**
 * Reads the handler environment once. The stacks set it in AWS; the local runtime sets the very
 * same variables, so nothing here knows where it runs. A missing required variable is a
 * deployment bug: fail loudly at the first invocation.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`Missing environment variable ${name}`);
    return value;
  };
  const optional = (name: string): string | undefined => env[name] || undefined;
  const positiveInt = (name: string, fallback: number): number => {
    const raw = env[name];
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
    return value;
  };
  return {
    tableName: required(manifest.env.tableName),
    inferenceQueueUrl: () => required(manifest.queues.inference.urlEnv),
    settlementQueueUrl: () => required(manifest.queues.settlement.urlEnv),
    wsManagementEndpoint: optional(manifest.env.wsManagementEndpoint),
    epochSeconds: positiveInt(manifest.env.epochSeconds, manifest.defaults.epochSeconds),
    maxBodyBytes: positiveInt(manifest.env.maxBodyBytes, manifest.defaults.maxBodyBytes),
    maxUploadBytes: positiveInt(manifest.env.maxUploadBytes, manifest.defaults.maxUploadBytes),
    rateLimitPerMinute: positiveInt(manifest.env.rateLimitPerMinute, manifest.defaults.rateLimitPerMinute),
    routingCacheMs: positiveInt(manifest.env.routingCacheMs, manifest.defaults.routingCacheMs),
    allowPrivateMinerEndpoints: env[manifest.env.allowPrivateMinerEndpoints] === "true",
    version: env.TENSORNODE_VERSION ?? "0.1.0",
  };
}
export type Config = ReturnType<typeof readConfig>;
