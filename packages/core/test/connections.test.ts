import { describe, expect, it } from "vitest";
import { closeConnection, issueApiKey, openConnection, silentLogger, subscribeToJob, unsubscribeFromJob } from "../src/index.js";
import { FixedClock, InMemoryApiKeyStore, InMemoryConnectionStore, InMemoryJobStore, RecordingConnectionPush, SequentialIds, aJob } from "../testing/index.js";

async function setup() {
  const apiKeys = new InMemoryApiKeyStore();
  const connections = new InMemoryConnectionStore();
  const jobs = new InMemoryJobStore();
  const push = new RecordingConnectionPush();
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const { secret } = await issueApiKey({ apiKeys, clock, ids: new SequentialIds() }, { ownerId: "owner_1", name: "ws" });
  await connections.save({ connectionId: "conn_1", ownerId: "owner_1", connectedAt: clock.now().toISOString() });
  const deps = { apiKeys, connections, jobs, push, clock, logger: silentLogger };
  return { deps, connections, jobs, push, secret };
}

describe("openConnection ($connect)", () => {
  it("saves the connection for the key's owner", async () => {
    const { deps, connections, secret } = await setup();
    const principal = await openConnection(deps, "conn_new", secret);
    expect(principal.ownerId).toBe("owner_1");
    expect(await connections.get("conn_new")).toEqual({ connectionId: "conn_new", ownerId: "owner_1", connectedAt: "2030-01-01T00:00:00.000Z", keyHash: principal.keyHash });
  });

  it.each([
    ["no key", undefined],
    ["a malformed key", "not-a-key"],
    ["an unknown key", `tn_${"A".repeat(43)}`],
  ])("refuses %s and saves nothing", async (_, key) => {
    const { deps, connections } = await setup();
    await expect(openConnection(deps, "conn_new", key)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await connections.get("conn_new")).toBeNull();
  });
});

describe("closeConnection ($disconnect)", () => {
  it("removes the connection and its subscriptions", async () => {
    const { deps, connections } = await setup();
    await connections.subscribe("conn_1", "job_1", deps.clock.now());
    await closeConnection(deps, "conn_1");
    expect(await connections.get("conn_1")).toBeNull();
    expect(await connections.subscribers("job_1")).toEqual([]);
  });
});

describe("subscribeToJob", () => {
  it("subscribes to an unfinished job of the same owner without pushing", async () => {
    // Prepare
    const { deps, connections, jobs, push } = await setup();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    // Act
    const reply = await subscribeToJob(deps, "conn_1", { action: "subscribe", jobId: job.id });
    // Assess
    expect(reply).toEqual({ jobId: job.id, status: "queued" });
    expect(await connections.subscribers(job.id)).toEqual(["conn_1"]);
    expect(push.deliveries).toEqual([]);
  });

  it("pushes an already finished job at once", async () => {
    // Prepare
    const { deps, jobs, push } = await setup();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    await jobs.complete(job.id, { status: "succeeded", result: { ok: true } }, deps.clock.now());
    // Act
    const reply = await subscribeToJob(deps, "conn_1", { action: "subscribe", jobId: job.id });
    // Assess
    expect(reply.status).toBe("succeeded");
    expect(push.messagesTo("conn_1")).toEqual([{ type: "job.updated", job: expect.objectContaining({ id: job.id, status: "succeeded", result: { ok: true } }) }]);
  });

  it("pushes a job that finishes while the subscription is being written (no lost update)", async () => {
    // Prepare: the worker completes the job right as the subscription lands, after the ownership read.
    const { deps, connections, jobs, push } = await setup();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    const subscribe = connections.subscribe.bind(connections);
    connections.subscribe = async (connectionId, jobId, at) => {
      await jobs.complete(jobId, { status: "succeeded", result: 1 }, at);
      await subscribe(connectionId, jobId, at);
    };
    // Act
    const reply = await subscribeToJob(deps, "conn_1", { action: "subscribe", jobId: job.id });
    // Assess
    expect(reply.status).toBe("succeeded");
    expect(push.messagesTo("conn_1")).toEqual([{ type: "job.updated", job: expect.objectContaining({ id: job.id, status: "succeeded" }) }]);
  });

  it("reports another owner's job as not found and subscribes nothing", async () => {
    const { deps, connections, jobs } = await setup();
    const job = aJob({ ownerId: "owner_2" });
    await jobs.create(job);
    await expect(subscribeToJob(deps, "conn_1", { action: "subscribe", jobId: job.id })).rejects.toMatchObject({ code: "not_found", param: "jobId" });
    expect(await connections.subscribers(job.id)).toEqual([]);
  });

  it("refuses an unknown connection", async () => {
    const { deps, jobs } = await setup();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    await expect(subscribeToJob(deps, "conn_unknown", { action: "subscribe", jobId: job.id })).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it.each([
    ["no job id", { action: "subscribe" }],
    ["an empty job id", { action: "subscribe", jobId: "" }],
    ["an over-long job id", { action: "subscribe", jobId: "j".repeat(129) }],
  ])("refuses a message with %s, naming jobId", async (_, body) => {
    const { deps } = await setup();
    await expect(subscribeToJob(deps, "conn_1", body)).rejects.toMatchObject({ code: "invalid_request", param: "jobId" });
  });
});

describe("unsubscribeFromJob", () => {
  it("removes the subscription", async () => {
    const { deps, connections } = await setup();
    await connections.subscribe("conn_1", "job_1", deps.clock.now());
    expect(await unsubscribeFromJob(deps, "conn_1", { action: "unsubscribe", jobId: "job_1" })).toEqual({ jobId: "job_1" });
    expect(await connections.subscribers("job_1")).toEqual([]);
  });
});
