import { describe, expect, it } from "vitest";
import { DomainError, PoisonMessageError, canaryExecutor, processJobMessage, silentLogger, silentMetrics, type ConnectionPush, type JobExecutor } from "../src/index.js";
import { FixedClock, InMemoryConnectionStore, InMemoryJobStore, RecordingConnectionPush, aConnection, aJob } from "../testing/index.js";

const MAX_ATTEMPTS = 3;

/** Deps with one job stored and `executor` registered for its kind. */
async function setup(executor: JobExecutor = canaryExecutor, push: ConnectionPush = new RecordingConnectionPush()) {
  const jobs = new InMemoryJobStore();
  const connections = new InMemoryConnectionStore();
  const clock = new FixedClock("2030-01-01T00:00:10.000Z");
  const job = aJob({ kind: executor.kind, input: { message: "ping" } });
  await jobs.create(job);
  const deps = { jobs, connections, push, clock, executors: new Map([[executor.kind, executor]]), logger: silentLogger, metrics: silentMetrics, maxAttempts: MAX_ATTEMPTS };
  return { deps, jobs, connections, job, body: JSON.stringify({ jobId: job.id }) };
}

const throwing = (error: Error): JobExecutor => ({
  kind: "flaky",
  execute: async () => {
    throw error;
  },
});

describe("processJobMessage", () => {
  it("runs the job, stores the result and pushes it to every subscriber", async () => {
    // Prepare
    const push = new RecordingConnectionPush();
    const { deps, jobs, connections, job, body } = await setup(canaryExecutor, push);
    await connections.subscribe("conn_a", job.id, deps.clock.now());
    await connections.subscribe("conn_b", job.id, deps.clock.now());
    // Act
    const finished = await processJobMessage(deps, body);
    // Assess
    expect(finished).toMatchObject({ status: "succeeded", attempts: 1, result: { message: "ping", attempt: 1 }, completedAt: "2030-01-01T00:00:10.000Z" });
    expect(await jobs.get(job.id)).toEqual(finished);
    const event = { type: "job.updated", job: expect.objectContaining({ id: job.id, object: "job", status: "succeeded" }) };
    expect(push.messagesTo("conn_a")).toEqual([event]);
    expect(push.messagesTo("conn_b")).toEqual([event]);
  });

  it("skips a duplicate delivery of a finished job without running it again", async () => {
    // Prepare
    let runs = 0;
    const counting: JobExecutor = { kind: "canary", execute: async () => ++runs };
    const { deps, jobs, job, body } = await setup(counting);
    const first = await processJobMessage(deps, body);
    // Act
    const second = await processJobMessage(deps, body);
    // Assess
    expect(second).toBeNull();
    expect(runs).toBe(1);
    expect(await jobs.get(job.id)).toEqual(first);
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["a body without a job id", JSON.stringify({ id: "job_1" })],
    ["a body with extra fields", JSON.stringify({ jobId: "job_1", extra: true })],
  ])("treats %s as poison", async (_, raw) => {
    const { deps } = await setup();
    await expect(processJobMessage(deps, raw)).rejects.toBeInstanceOf(PoisonMessageError);
  });

  it("treats a message for a job that does not exist as poison", async () => {
    const { deps } = await setup();
    await expect(processJobMessage(deps, JSON.stringify({ jobId: "job_missing" }))).rejects.toThrow(PoisonMessageError);
  });

  it("fails the job at once, without retry, when the executor throws a DomainError", async () => {
    // Prepare
    const { deps, jobs, job, body } = await setup(throwing(new DomainError("invalid_request", "'prompt': required", "prompt")));
    // Act
    const finished = await processJobMessage(deps, body);
    // Assess
    expect(finished).toMatchObject({ status: "failed", attempts: 1, error: { code: "invalid_request", message: "'prompt': required" } });
    expect(await jobs.get(job.id)).toEqual(finished);
  });

  it("rethrows a transient error under the attempt limit and leaves the job running", async () => {
    // Prepare
    const { deps, jobs, job, body } = await setup(throwing(new Error("miner timed out")));
    // Act
    const first = processJobMessage(deps, body);
    // Assess
    await expect(first).rejects.toThrow("miner timed out");
    await expect(processJobMessage(deps, body)).rejects.toThrow("miner timed out");
    expect(await jobs.get(job.id)).toMatchObject({ status: "running", attempts: MAX_ATTEMPTS - 1 });
  });

  it("fails the job on the last allowed attempt instead of rethrowing, without leaking the error", async () => {
    // Prepare
    const push = new RecordingConnectionPush();
    const { deps, connections, job, body } = await setup(throwing(new Error("miner timed out")), push);
    await connections.subscribe("conn_a", job.id, deps.clock.now());
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) await expect(processJobMessage(deps, body)).rejects.toThrow();
    // Act
    const finished = await processJobMessage(deps, body);
    // Assess
    expect(finished).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, error: { code: "execution_failed" } });
    expect(JSON.stringify(finished)).not.toContain("miner timed out");
    expect(push.messagesTo("conn_a")).toHaveLength(1);
  });

  it("fails a job whose kind has no executor", async () => {
    const { deps, jobs, body, job } = await setup();
    deps.executors = new Map();
    expect(await processJobMessage(deps, body)).toMatchObject({ status: "failed", error: { code: "execution_failed" } });
    expect(await jobs.get(job.id)).toMatchObject({ status: "failed" });
  });

  it("removes subscribers that are gone and still notifies the others", async () => {
    // Prepare
    const push = new RecordingConnectionPush();
    const { deps, connections, job, body } = await setup(canaryExecutor, push);
    const [stays, left] = [aConnection(), aConnection()];
    for (const c of [stays, left]) {
      await connections.save(c);
      await connections.subscribe(c.connectionId, job.id, deps.clock.now());
    }
    push.gone.add(left.connectionId);
    // Act
    await processJobMessage(deps, body);
    // Assess
    expect(push.messagesTo(stays.connectionId)).toHaveLength(1);
    expect(await connections.get(left.connectionId)).toBeNull();
    expect(await connections.get(stays.connectionId)).toEqual(stays);
    expect(await connections.subscribers(job.id)).toEqual([stays.connectionId]);
  });

  it("finishes the job even when a push fails", async () => {
    // Prepare
    const delivered: string[] = [];
    const flaky: ConnectionPush = {
      send: async (connectionId) => {
        if (connectionId === "conn_broken") throw new Error("socket reset");
        delivered.push(connectionId);
        return "delivered";
      },
    };
    const { deps, connections, job, body } = await setup(canaryExecutor, flaky);
    await connections.subscribe("conn_broken", job.id, deps.clock.now());
    await connections.subscribe("conn_ok", job.id, deps.clock.now());
    // Act
    const finished = await processJobMessage(deps, body);
    // Assess
    expect(finished?.status).toBe("succeeded");
    expect(delivered).toEqual(["conn_ok"]);
  });
});
