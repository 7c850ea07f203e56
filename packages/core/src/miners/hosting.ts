import { z } from "zod";
import { DomainError, isDomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { Clock, IdGenerator } from "../ports/clock.js";
import type { JobProgress, JobProgressStore } from "../ports/job-progress.js";
import type { JobExecutor, JobQueue, JobStore } from "../ports/jobs.js";
import type { Logger, Metrics } from "../ports/logger.js";
import type { MinerHostProvider, MinerHostSpec } from "../ports/miner-hosts.js";
import type { MinerDirectory, MinerProbe } from "../ports/miners.js";
import { getJob } from "../jobs/get-job.js";
import { publicJob, type Job } from "../jobs/job.js";
import { enqueueOrFail } from "../jobs/submit-job.js";
import type { MinerHostBinding, MinerModel, MinerRecord } from "./miner.js";
import { minerRegistrationSchema, publicMiner } from "./registration.js";
import { MINER_TEARDOWN_KIND, newJob } from "./host-teardown.js";

export { MINER_TEARDOWN_KIND, scheduleHostTeardown } from "./host-teardown.js";

/**
 * Miners hosted by the network: a miner asks for a host (`requestMinerHost`), the inference queue's
 * worker provisions it (`minerProvisionExecutor`: create → wait until reachable → register with the
 * host's endpoint → bind the host to the miner), and deregistration tears it down
 * (`scheduleHostTeardown` + `minerTeardownExecutor`). A VM takes minutes and API Gateway answers in
 * 29 s, so both run as jobs; a provisioning attempt that runs out of time hands back to the queue
 * and the next attempt resumes with the host the first one created (its id is kept in the job's
 * progress), so a retry never creates a second host.
 */
export const MINER_PROVISION_KIND = "miner.provision";

/** Progress stages of a `miner.provision` job, in order (`failed` may replace any of them). */
export const PROVISION_STAGES = ["queued", "provisioning", "reachable", "registered"] as const;

/** What a miner sends to `POST /v1/miners/hosts`: the models and prices the hosted miner serves. */
export const minerHostRequestSchema = z.strictObject({ models: minerRegistrationSchema.shape.models });

const provisionInputSchema = z.strictObject({ spec: z.strictObject({ models: minerRegistrationSchema.shape.models }) });
const teardownInputSchema = z.strictObject({ provider: z.string().min(1).max(32), hostId: z.string().min(1).max(256) });

export interface HostingJobDeps {
  jobs: JobStore;
  queue: JobQueue;
  miners: MinerDirectory;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  metrics: Metrics;
}

/** A host name unique to the job: letters, digits and hyphens (Fluence VM names allow no more). */
export const hostNameFor = (jobId: string): string => `tn-miner-${jobId.replace(/[^A-Za-z0-9]/g, "").slice(-32).toLowerCase()}`;

/**
 * The signed `POST /v1/miners/hosts`: queues a `miner.provision` job owned by the miner. A miner
 * that already has a host must deregister first (one host per miner account).
 */
export async function requestMinerHost(deps: HostingJobDeps, minerId: string, body: unknown): Promise<Job> {
  const { models } = parseInput(minerHostRequestSchema, body);
  const existing = await deps.miners.get(minerId);
  if (existing?.host) throw new DomainError("conflict", `Miner ${minerId} already has a host (${existing.host.provider} ${existing.host.hostId}); deregister it first.`);
  const spec: MinerHostSpec = { models };
  const job = newJob(deps.clock, `job_${deps.ids.next()}`, minerId, MINER_PROVISION_KIND, { spec });
  await deps.jobs.create(job);
  await enqueueOrFail(deps, job);
  deps.metrics.count("MinerHostRequested");
  deps.logger.info("miner host requested", { jobId: job.id, minerId });
  return job;
}

/** A hosting job and its progress, for its owner (the signed `GET /v1/miners/hosts/jobs/:id`). */
export async function getMinerHostJob(deps: { jobs: JobStore; progress: JobProgressStore }, minerId: string, jobId: string) {
  const job = await getJob(deps, minerId, jobId);
  if (job.kind !== MINER_PROVISION_KIND && job.kind !== MINER_TEARDOWN_KIND) throw new DomainError("not_found", `No hosting job with id '${jobId}'.`, "id");
  return publicHostingJob(job, await deps.progress.get(job.id));
}

export function publicHostingJob(job: Job, progress: JobProgress | null) {
  const stage = job.status === "queued" ? "queued" : job.status === "failed" ? "failed" : (progress?.stage ?? "provisioning");
  return { ...publicJob(job), progress: { stage, at: progress?.at ?? job.updatedAt, ...(progress?.data ?? {}) } };
}
export type PublicHostingJob = ReturnType<typeof publicHostingJob>;

export interface MinerProvisionDeps {
  /** Resolved on first use, so handlers that never provision never build a provider. */
  hosts: () => MinerHostProvider | Promise<MinerHostProvider>;
  miners: MinerDirectory;
  jobs: JobStore;
  progress: JobProgressStore;
  probe: MinerProbe;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** How long one attempt waits for the host before handing the job back to the queue (keep well under the consumer's timeout). */
  attemptBudgetMs: number;
  pollMs: number;
  probeTimeoutMs: number;
  /** The queue's attempt limit: the last attempt destroys the host instead of handing back. */
  maxAttempts: number;
}

/** Thrown when an attempt's time is up but the host is still booting: the queue retries later. */
export class HostNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostNotReadyError";
  }
}

/** Runs `miner.provision` jobs (internal: only `requestMinerHost` creates them). */
export function minerProvisionExecutor(deps: MinerProvisionDeps): JobExecutor {
  return {
    kind: MINER_PROVISION_KIND,
    internal: true,
    async execute(input, context) {
      const { spec } = parseInput(provisionInputSchema, input);
      const job = await deps.jobs.get(context.jobId);
      if (!job) throw new DomainError("not_found", `No job with id '${context.jobId}'.`);
      const accountId = job.ownerId;
      const provider = await deps.hosts();
      const prior = await deps.progress.get(context.jobId);
      let hostId = prior?.data?.hostId;
      const say = async (stage: string, data: Record<string, string>) => {
        await deps.progress.record(context.jobId, { stage, at: deps.clock.now().toISOString(), data: { provider: provider.provider, ...(hostId ? { hostId } : {}), ...data } });
      };
      try {
        if (!hostId) {
          const existing = await deps.miners.get(accountId);
          if (existing?.host) throw new DomainError("conflict", `Miner ${accountId} already has a host (${existing.host.provider} ${existing.host.hostId}).`);
          await say("provisioning", {});
          hostId = (await provider.provision({ accountId, name: hostNameFor(context.jobId), spec })).hostId;
          await say("provisioning", {});
          deps.logger.info("miner host created", { jobId: context.jobId, accountId, provider: provider.provider, hostId });
        }
        const endpoint = await untilReachable(deps, provider, hostId);
        await say("reachable", { endpoint });
        const miner = await bindHostedMiner(deps, accountId, endpoint, spec.models, { provider: provider.provider, hostId });
        await say("registered", { endpoint });
        deps.metrics.count("MinerHostProvisioned");
        return { miner: publicMiner(miner), host: { provider: provider.provider, host_id: hostId } };
      } catch (error) {
        if (!isDomainError(error) && context.attempt < deps.maxAttempts) throw error; // the queue retries; the host is resumed
        const reason = error instanceof Error ? error.message : String(error);
        let teardown = "none";
        if (hostId) {
          teardown = "done";
          try {
            await provider.destroy(hostId);
          } catch (destroyError) {
            teardown = "failed";
            deps.metrics.count("MinerHostTeardownFailed");
            deps.logger.error("miner host could not be destroyed after a failed provisioning; destroy it by hand", { jobId: context.jobId, provider: provider.provider, hostId, error: String(destroyError) });
          }
        }
        await say("failed", { reason, teardown }).catch(() => {});
        deps.metrics.count("MinerHostProvisionFailed");
        if (isDomainError(error)) throw error;
        throw new DomainError("unavailable", `The host could not be provisioned: ${reason}`);
      }
    },
  };
}

async function untilReachable(deps: MinerProvisionDeps, provider: MinerHostProvider, hostId: string): Promise<string> {
  const deadline = Date.now() + deps.attemptBudgetMs;
  for (;;) {
    const status = await provider.status(hostId);
    if (status.state === "failed" || status.state === "gone") {
      throw new DomainError("unavailable", `The host ${hostId} is ${status.state}${status.detail ? `: ${status.detail}` : ""}.`);
    }
    let last = `host is ${status.state}`;
    if (status.state === "running" && status.endpoint) {
      const probe = await deps.probe.check(status.endpoint, deps.probeTimeoutMs);
      if (probe.ok) return status.endpoint;
      last = `${status.endpoint}/health does not answer yet${probe.error ? ` (${probe.error})` : ""}`;
    }
    if (Date.now() + deps.pollMs > deadline) throw new HostNotReadyError(`host ${hostId} not reachable within this attempt: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs));
  }
}

/** Registers the miner at its host's endpoint and binds the host to it (in one write). */
async function bindHostedMiner(deps: { miners: MinerDirectory; clock: Clock }, accountId: string, endpoint: string, models: MinerModel[], host: MinerHostBinding): Promise<MinerRecord> {
  const existing = await deps.miners.get(accountId);
  if (existing?.host && existing.host.hostId !== host.hostId) throw new DomainError("conflict", `Miner ${accountId} already has a host (${existing.host.provider} ${existing.host.hostId}).`);
  parseInput(minerRegistrationSchema, { endpoint, models });
  const now = deps.clock.now().toISOString();
  const miner: MinerRecord = { minerId: accountId, endpoint, models, registeredAt: now, lastHeartbeatAt: now, host };
  await deps.miners.put(miner);
  return miner;
}

/** Runs `miner.teardown` jobs: destroys the host (idempotent). A last failed attempt is reported, never dropped. */
export function minerTeardownExecutor(deps: Pick<MinerProvisionDeps, "hosts" | "progress" | "clock" | "logger" | "metrics" | "maxAttempts">): JobExecutor {
  return {
    kind: MINER_TEARDOWN_KIND,
    internal: true,
    async execute(input, context) {
      const { provider: name, hostId } = parseInput(teardownInputSchema, input);
      const provider = await deps.hosts();
      const report = (reason: string) => {
        deps.metrics.count("MinerHostTeardownFailed");
        deps.logger.error("miner host teardown failed; destroy it by hand", { jobId: context.jobId, provider: name, hostId, reason });
      };
      if (provider.provider !== name) {
        report(`this deployment runs the '${provider.provider}' provider`);
        throw new DomainError("unavailable", `Host ${hostId} belongs to the '${name}' provider, which this deployment does not run.`);
      }
      try {
        await provider.destroy(hostId);
      } catch (error) {
        if (context.attempt < deps.maxAttempts) throw error;
        report(String(error));
        throw new DomainError("unavailable", `The host ${hostId} could not be destroyed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await deps.progress.record(context.jobId, { stage: "destroyed", at: deps.clock.now().toISOString(), data: { provider: name, hostId } });
      deps.metrics.count("MinerHostDestroyed");
      return { host: { provider: name, host_id: hostId }, destroyed: true };
    },
  };
}

