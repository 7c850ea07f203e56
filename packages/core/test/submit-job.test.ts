import { describe, expect, it } from "vitest";
import { DomainError, canaryExecutor, silentLogger, silentMetrics, submitJob, type JobExecutor } from "../src/index.js";
import { FixedClock, InMemoryJobStore, RecordingJobQueue, SequentialIds } from "../testing/index.js";

function setup() {
  const jobs = new InMemoryJobStore();
  const queue = new RecordingJobQueue();
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const executors = new Map<string, JobExecutor>([
    ["canary", canaryExecutor],
    ["llm.chat", { kind: "llm.chat", execute: async () => null }],
  ]);
  const deps = { jobs, queue, executors, clock, ids: new SequentialIds(), logger: silentLogger, metrics: silentMetrics };
  return { deps, jobs, queue };
}

describe("submitJob", () => {
  it("stores the job as queued, then puts its id on the queue", async () => {
    // Prepare
    const { deps, jobs, queue } = setup();
    // Act
    const job = await submitJob(deps, "owner_1", { kind: "canary", input: { message: "hi" } });
    // Assess
    expect(job).toEqual({
      id: "job_id0001",
      ownerId: "owner_1",
      kind: "canary",
      input: { message: "hi" },
      status: "queued",
      attempts: 0,
      createdAt: "2030-01-01T00:00:00.000Z",
      updatedAt: "2030-01-01T00:00:00.000Z",
    });
    expect(await jobs.get(job.id)).toEqual(job);
    expect(queue.sent).toEqual([{ jobId: job.id }]);
  });

  it("stores a missing input as null", async () => {
    const { deps } = setup();
    expect((await submitJob(deps, "owner_1", { kind: "canary" })).input).toBeNull();
  });

  it.each([
    ["a missing kind", {}, "kind"],
    ["an upper-case kind", { kind: "Canary" }, "kind"],
    ["a kind that is too long", { kind: "a".repeat(65) }, "kind"],
    ["a non-string kind", { kind: 7 }, "kind"],
  ])("refuses %s, naming the param", async (_, body, param) => {
    const { deps, queue } = setup();
    const submitting = submitJob(deps, "owner_1", body);
    await expect(submitting).rejects.toBeInstanceOf(DomainError);
    await expect(submitting).rejects.toMatchObject({ code: "invalid_request", param });
    expect(queue.sent).toEqual([]);
  });

  it.each([null, "canary", [], 42])("refuses a body that is not an object (%j)", async (body) => {
    const { deps } = setup();
    await expect(submitJob(deps, "owner_1", body)).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("refuses unknown fields", async () => {
    const { deps } = setup();
    await expect(submitJob(deps, "owner_1", { kind: "canary", priority: 1 })).rejects.toMatchObject({ code: "invalid_request", message: expect.stringContaining("priority") });
  });

  it("refuses an unknown kind, listing the known ones", async () => {
    // Prepare
    const { deps, jobs, queue } = setup();
    // Act
    const submitting = submitJob(deps, "owner_1", { kind: "image.gen" });
    // Assess
    await expect(submitting).rejects.toMatchObject({ code: "invalid_request", param: "kind", message: expect.stringContaining("canary, llm.chat") });
    expect(await jobs.get("job_id0001")).toBeNull();
    expect(queue.sent).toEqual([]);
  });

  it("marks the job failed and reports unavailable when the queue refuses it", async () => {
    // Prepare
    const { deps, jobs, queue } = setup();
    queue.rejectWith(new Error("SQS is down"));
    // Act
    const submitting = submitJob(deps, "owner_1", { kind: "canary" });
    // Assess
    await expect(submitting).rejects.toMatchObject({ name: "DomainError", code: "unavailable", message: expect.not.stringContaining("SQS") });
    expect(await jobs.get("job_id0001")).toMatchObject({ status: "failed", error: { code: "enqueue_failed" }, completedAt: "2030-01-01T00:00:00.000Z" });
  });
});
