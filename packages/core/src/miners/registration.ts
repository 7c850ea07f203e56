import { z } from "zod";
import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { Clock } from "../ports/clock.js";
import type { JobQueue, JobStore } from "../ports/jobs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import type { MinerDirectory } from "../ports/miners.js";
import type { Job } from "../jobs/job.js";
import { availabilityOf, type MinerRecord } from "./miner.js";
import { assertRoutableEndpoint } from "./endpoint-policy.js";
import { scheduleHostTeardown } from "./host-teardown.js";

const MODALITIES = ["llm", "embeddings", "stt", "tts", "translation", "vision"] as const;

/** What a miner sends to register; who it is comes from the request's Hedera signature, never the body. */
export const minerRegistrationSchema = z.strictObject({
  endpoint: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .max(512),
  models: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only"),
        modality: z.enum(MODALITIES),
        /** Integer tinybars per unit, as a string so large prices stay exact. */
        pricePerUnit: z.string().regex(/^\d{1,18}$/, "must be a whole number of tinybars"),
        contextLength: z.int().min(1).max(10_000_000).optional(),
        /** The longest completion the miner generates (it refuses a larger `max_tokens`). */
        maxCompletionTokens: z.int().min(1).max(1_000_000).optional(),
      }),
    )
    .min(1)
    .max(32),
});

/** Registers (or re-registers) the signing account as a miner. A host the network runs for it stays bound. */
export async function registerMiner(deps: { miners: MinerDirectory; clock: Clock; allowPrivateMinerEndpoints?: boolean }, minerId: string, body: unknown): Promise<MinerRecord> {
  const registration = parseInput(minerRegistrationSchema, body);
  assertRoutableEndpoint(registration.endpoint, deps.allowPrivateMinerEndpoints ?? false);
  const now = deps.clock.now().toISOString();
  const host = (await deps.miners.get(minerId))?.host;
  const miner: MinerRecord = { minerId, endpoint: registration.endpoint, models: registration.models, registeredAt: now, lastHeartbeatAt: now, ...(host ? { host } : {}) };
  await deps.miners.put(miner);
  return miner;
}

/** A signed heartbeat: the miner is alive and still serving its registration. */
export async function minerHeartbeat(deps: { miners: MinerDirectory; clock: Clock }, minerId: string): Promise<MinerRecord> {
  if (!(await deps.miners.touch(minerId, deps.clock.now()))) throw new DomainError("not_found", `Account ${minerId} is not a registered miner.`);
  return (await deps.miners.get(minerId))!;
}

/** What tearing down a hosted miner's host needs (the HTTP API has all of it). */
export interface HostTeardownDeps {
  jobs: JobStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Deregisters a miner. A miner the network hosts gets its host's teardown queued first (a
 * `miner.teardown` job, once per host); only then is the registration removed, so a failure to
 * queue leaves the miner registered and the deregistration can be retried: no host is forgotten.
 */
export async function deregisterMiner(deps: { miners: MinerDirectory } & Partial<HostTeardownDeps>, minerId: string): Promise<{ teardownJob: Job | null }> {
  const miner = await deps.miners.get(minerId);
  if (!miner) throw new DomainError("not_found", `Account ${minerId} is not a registered miner.`);
  let teardownJob: Job | null = null;
  if (miner.host) {
    const { jobs, queue, clock, logger, metrics } = deps;
    if (!jobs || !queue || !clock || !logger || !metrics) throw new DomainError("unavailable", `Miner ${minerId} runs on a network host that cannot be torn down here; try again later.`);
    teardownJob = await scheduleHostTeardown({ jobs, queue, clock, logger, metrics }, minerId, miner.host);
  }
  await deps.miners.remove(minerId);
  return { teardownJob };
}

/** The public view of a miner (no health internals beyond whether it is routable). */
export function publicMiner(miner: MinerRecord) {
  return {
    object: "miner" as const,
    id: miner.minerId,
    endpoint: miner.endpoint,
    models: miner.models ?? [],
    registered_at: miner.registeredAt ?? null,
    last_heartbeat_at: miner.lastHeartbeatAt ?? null,
    healthy: miner.health ? miner.health.healthy : null,
    latency_ms: miner.health?.latencyMs ?? null,
    availability: miner.health?.probes ? availabilityOf(miner.health) : null,
    hosted_by: miner.host?.provider ?? null,
  };
}

/** One model as a miner lists it in its `GET /v1/models` (the reference miner's fields). */
export interface ListedMinerModel {
  id: string;
  modality?: string;
  price?: { tinybars_per_unit?: string };
  context_length?: number | null;
  max_completion_tokens?: number | null;
}

/**
 * The registration's models from a miner's own listing: its prices unless `price` overrides them, and
 * its context and longest completion, which bound and bill a chat without `max_tokens`.
 */
export function registrationModelsOf(listed: ListedMinerModel[], price?: string) {
  return listed
    .filter((m) => m.modality)
    .map((m) => ({
      id: m.id,
      modality: m.modality!,
      pricePerUnit: price ?? m.price?.tinybars_per_unit ?? "10",
      ...(m.context_length && { contextLength: m.context_length }),
      ...(m.max_completion_tokens && { maxCompletionTokens: m.max_completion_tokens }),
    }));
}
