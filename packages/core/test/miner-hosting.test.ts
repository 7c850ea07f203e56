import { describe, expect, it } from "vitest";
import {
  DomainError,
  MINER_PROVISION_KIND,
  deregisterMiner,
  getMinerHostJob,
  minerProvisionExecutor,
  minerTeardownExecutor,
  processJobMessage,
  registerMiner,
  requestMinerHost,
  silentLogger,
  submitJob,
  type JobExecutor,
} from "../src/index.js";
import {
  FixedClock,
  InMemoryConnectionStore,
  InMemoryJobProgressStore,
  InMemoryJobStore,
  InMemoryMinerDirectory,
  InMemoryMinerHostProvider,
  RecordingConnectionPush,
  RecordingJobQueue,
  ScriptedMinerProbe,
  SequentialIds,
} from "../testing/index.js";

const models = [{ id: "stories260K", modality: "llm" as const, pricePerUnit: "10" }];
const MINER = "0.0.1001";

function world(options: { bootPolls?: number; attemptBudgetMs?: number; maxAttempts?: number } = {}) {
  const jobs = new InMemoryJobStore();
  const progress = new InMemoryJobProgressStore(jobs);
  const miners = new InMemoryMinerDirectory();
  const queue = new RecordingJobQueue();
  const hosts = new InMemoryMinerHostProvider({ bootPolls: options.bootPolls ?? 1 });
  const probe = new ScriptedMinerProbe();
  const counted: string[] = [];
  const errors: string[] = [];
  const metrics = { count: (name: string) => void counted.push(name), milliseconds() {} };
  const logger = { ...silentLogger, error: (message: string) => void errors.push(message) };
  const clock = new FixedClock(new Date("2030-01-01T00:00:00.000Z"));
  const maxAttempts = options.maxAttempts ?? 3;
  const base = { jobs, miners, progress, clock, logger, metrics, hosts: () => hosts, maxAttempts };
  const executors = new Map<string, JobExecutor>([
    [MINER_PROVISION_KIND, minerProvisionExecutor({ ...base, probe, attemptBudgetMs: options.attemptBudgetMs ?? 1_000, pollMs: 1, probeTimeoutMs: 100 })],
    ["miner.teardown", minerTeardownExecutor(base)],
  ]);
  const deps = { jobs, queue, miners, progress, clock, ids: new SequentialIds(), logger, metrics, executors };
  /** Delivers every queued message once, as the inference consumer would; transient failures are re-queued. */
  const work = async () => {
    for (const message of queue.take()) {
      try {
        await processJobMessage({ ...deps, connections: new InMemoryConnectionStore(), push: new RecordingConnectionPush(), maxAttempts }, JSON.stringify(message));
      } catch {
        await queue.enqueue(message);
      }
    }
  };
  return { ...deps, hosts, probe, counted, errors, work };
}

describe("miner hosting", () => {
  it("provisions, waits until reachable, registers with the host's endpoint and binds the host", async () => {
    // Prepare
    const w = world({ bootPolls: 2 });
    // Act
    const job = await requestMinerHost(w, MINER, { models });
    expect(await getMinerHostJob(w, MINER, job.id)).toMatchObject({ status: "queued", kind: "miner.provision", progress: { stage: "queued" } });
    await w.work();
    // Assess
    const miner = await w.miners.get(MINER);
    const endpoint = w.hosts.endpointOf(`tn-miner-${job.id.replace(/[^A-Za-z0-9]/g, "").slice(-32).toLowerCase()}`);
    expect(miner).toMatchObject({ minerId: MINER, endpoint, models, host: { provider: "memory", hostId: "mem-1" } });
    const view = await getMinerHostJob(w, MINER, job.id);
    expect(view).toMatchObject({ status: "succeeded", progress: { stage: "registered", hostId: "mem-1", endpoint }, result: { miner: { id: MINER, hosted_by: "memory" } } });
    expect(w.probe.checks.map((c) => c.endpoint)).toEqual([endpoint]);
  });

  it("resumes the same host on the next attempt when the first runs out of time", async () => {
    const w = world({ bootPolls: 1_000_000, attemptBudgetMs: 5 });
    const job = await requestMinerHost(w, MINER, { models });
    await w.work(); // attempt 1: created, still booting → handed back
    expect((await w.jobs.get(job.id))?.status).toBe("running");
    expect((await getMinerHostJob(w, MINER, job.id)).progress).toMatchObject({ stage: "provisioning", hostId: "mem-1" });
    await w.work(); // attempt 2: still booting
    await w.work(); // attempt 3 (the last): gives up and destroys the host
    expect(w.hosts.calls.filter((c) => c.startsWith("provision"))).toHaveLength(1);
    expect(w.hosts.liveHosts()).toEqual([]);
    expect(await getMinerHostJob(w, MINER, job.id)).toMatchObject({ status: "failed", error: { code: "unavailable" }, progress: { stage: "failed", teardown: "done" } });
    expect(await w.miners.get(MINER)).toBeNull();
  });

  it("destroys the host when it fails to come up, and says so", async () => {
    const w = world({ bootPolls: 1_000_000, attemptBudgetMs: 5 });
    const job = await requestMinerHost(w, MINER, { models });
    w.hosts.failNextProvision(new Error("socket hang up")); // transient: retried
    await w.work();
    await w.work();
    // the second attempt created mem-1, which is still booting; it crashes before the third
    w.hosts.breakHost("mem-1");
    await w.work();
    expect(w.hosts.liveHosts()).toEqual([]);
    expect(await getMinerHostJob(w, MINER, job.id)).toMatchObject({ status: "failed", progress: { stage: "failed", teardown: "done" } });
  });

  it("reports a host it could not destroy after a failure instead of dropping it", async () => {
    const w = world({ bootPolls: 0 });
    w.probe.script(w.hosts.endpointOf("x"), { ok: true, latencyMs: 1 });
    const job = await requestMinerHost(w, MINER, { models });
    w.hosts.breakHost("mem-1");
    w.hosts.failDestroy(1);
    await w.work();
    expect(await getMinerHostJob(w, MINER, job.id)).toMatchObject({ status: "failed", progress: { stage: "failed", teardown: "failed", hostId: "mem-1" } });
    expect(w.counted).toContain("MinerHostTeardownFailed");
    expect(w.errors.join("\n")).toMatch(/destroy it by hand/);
  });

  it("a permanent refusal fails the job at once, with nothing created", async () => {
    const w = world();
    const job = await requestMinerHost(w, MINER, { models });
    w.hosts.failNextProvision(new DomainError("unavailable", "No Fluence offer matches."));
    await w.work();
    expect(await getMinerHostJob(w, MINER, job.id)).toMatchObject({ status: "failed", error: { message: "No Fluence offer matches." }, progress: { stage: "failed", teardown: "none" } });
    expect(w.hosts.liveHosts()).toEqual([]);
  });

  it("deregistration tears the host down exactly once, through a job", async () => {
    const w = world();
    await requestMinerHost(w, MINER, { models });
    await w.work();
    const { teardownJob } = await deregisterMiner(w, MINER);
    expect(teardownJob).toMatchObject({ kind: "miner.teardown", ownerId: MINER, status: "queued" });
    expect(await w.miners.get(MINER)).toBeNull();
    await w.work();
    expect(w.hosts.liveHosts()).toEqual([]);
    expect(w.hosts.calls.filter((c) => c.startsWith("destroy"))).toEqual(["destroy mem-1"]);
    expect(await getMinerHostJob(w, MINER, teardownJob!.id)).toMatchObject({ status: "succeeded", progress: { stage: "destroyed", hostId: "mem-1" } });
  });

  it("retries a failed teardown and reports the last failure", async () => {
    const w = world();
    await requestMinerHost(w, MINER, { models });
    await w.work();
    w.hosts.failDestroy(3);
    const { teardownJob } = await deregisterMiner(w, MINER);
    for (let i = 0; i < 3; i++) await w.work();
    expect(w.hosts.calls.filter((c) => c.startsWith("destroy"))).toHaveLength(3);
    expect(await w.jobs.get(teardownJob!.id)).toMatchObject({ status: "failed", error: { code: "unavailable" } });
    expect(w.counted).toContain("MinerHostTeardownFailed");
    expect(w.hosts.liveHosts()).toEqual(["mem-1"]); // still there, and reported
  });

  it("keeps the miner registered when the teardown cannot be queued", async () => {
    const w = world();
    await requestMinerHost(w, MINER, { models });
    await w.work();
    const failingQueue = { enqueue: async () => { throw new Error("SQS down"); } };
    await expect(deregisterMiner({ ...w, queue: failingQueue }, MINER)).rejects.toMatchObject({ code: "unavailable" });
    expect((await w.miners.get(MINER))?.host).toEqual({ provider: "memory", hostId: "mem-1" });
    // A second try queues the same teardown job once.
    const again = await deregisterMiner(w, MINER);
    expect(again.teardownJob?.id).toMatch(/^job_teardown_/);
    await w.work();
    expect(w.hosts.calls.filter((c) => c.startsWith("destroy"))).toHaveLength(1);
  });

  it("re-registering a hosted miner keeps its host binding", async () => {
    const w = world();
    await requestMinerHost(w, MINER, { models });
    await w.work();
    await registerMiner(w, MINER, { endpoint: "https://elsewhere.example", models });
    expect((await w.miners.get(MINER))?.host).toEqual({ provider: "memory", hostId: "mem-1" });
  });

  it("refuses a second host, bad input, other miners' jobs and the internal kind on POST /v1/jobs", async () => {
    const w = world();
    const job = await requestMinerHost(w, MINER, { models });
    await w.work();
    await expect(requestMinerHost(w, MINER, { models })).rejects.toMatchObject({ code: "conflict" });
    await expect(requestMinerHost(w, "0.0.2", { models: [] })).rejects.toMatchObject({ code: "invalid_request", param: "models" });
    await expect(requestMinerHost(w, "0.0.2", { models, image: "evil" })).rejects.toMatchObject({ code: "invalid_request", param: "image" });
    await expect(getMinerHostJob(w, "0.0.2", job.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(submitJob(w, MINER, { kind: "miner.provision", input: { spec: { models } } })).rejects.toThrow(/Unknown job kind 'miner.provision'/);
  });

  it("deregistering a hosted miner without the job deps refuses rather than forgetting the host", async () => {
    const w = world();
    await requestMinerHost(w, MINER, { models });
    await w.work();
    await expect(deregisterMiner({ miners: w.miners }, MINER)).rejects.toMatchObject({ code: "unavailable" });
    expect(await w.miners.get(MINER)).not.toBeNull();
  });
});
