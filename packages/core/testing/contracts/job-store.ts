import { describe, expect, it } from "vitest";
import { DomainError, type JobStore } from "../../src/index.js";
import { aJob, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

const T0 = new Date("2030-01-01T00:00:00.000Z");
const T1 = new Date("2030-01-01T00:00:05.000Z");
const T2 = new Date("2030-01-01T00:00:09.000Z");

/**
 * What every JobStore must do (see the port's JSDoc). Each test makes its own job ids, so the
 * stores `makeStore` returns may share one table.
 */
export function jobStoreContract(makeStore: Make<JobStore>): void {
  describe("JobStore contract", () => {
    describe("create and get", () => {
      it("returns a created job unchanged, with its input and without optional fields", async () => {
        // Prepare
        const store = await makeStore();
        const job = aJob({ input: { message: "héllo", nested: { list: [1, 2.5, "x", null, true] } } });
        // Act
        await store.create(job);
        // Assess
        expect(await store.get(job.id)).toEqual(job);
      });

      it("keeps a null input", async () => {
        const store = await makeStore();
        const job = aJob({ input: null });
        await store.create(job);
        expect((await store.get(job.id))?.input).toBeNull();
      });

      it("returns null for an unknown id", async () => {
        const store = await makeStore();
        expect(await store.get(uniqueId("job"))).toBeNull();
      });

      it("refuses a taken id with a conflict and keeps the first job", async () => {
        // Prepare
        const store = await makeStore();
        const first = aJob();
        await store.create(first);
        // Act
        const second = store.create({ ...first, ownerId: uniqueId("other") });
        // Assess
        await expect(second).rejects.toBeInstanceOf(DomainError);
        await expect(second).rejects.toMatchObject({ code: "conflict" });
        expect(await store.get(first.id)).toEqual(first);
      });
    });

    describe("startAttempt", () => {
      it("moves a queued job to running, counts the attempt and stamps updatedAt", async () => {
        // Prepare
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        // Act
        const started = await store.startAttempt(job.id, T1);
        // Assess
        const expected = { ...job, status: "running", attempts: 1, updatedAt: T1.toISOString() };
        expect(started).toEqual(expected);
        expect(await store.get(job.id)).toEqual(expected);
      });

      it("counts every start of a running job (a redelivered message)", async () => {
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        await store.startAttempt(job.id, T1);
        const again = await store.startAttempt(job.id, T2);
        expect(again).toMatchObject({ status: "running", attempts: 2, updatedAt: T2.toISOString() });
      });

      it("returns null for a missing job and does not create it", async () => {
        const store = await makeStore();
        const id = uniqueId("job");
        expect(await store.startAttempt(id, T1)).toBeNull();
        expect(await store.get(id)).toBeNull();
      });

      it.each(["succeeded", "failed"] as const)("returns null for a %s job and leaves it alone", async (status) => {
        // Prepare
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        await store.startAttempt(job.id, T1);
        const outcome = status === "succeeded" ? { status, result: { ok: true } } : { status, error: { code: "x", message: "y" } };
        const finished = await store.complete(job.id, outcome, T1);
        // Act
        const started = await store.startAttempt(job.id, T2);
        // Assess
        expect(started).toBeNull();
        expect(await store.get(job.id)).toEqual(finished);
      });
    });

    describe("complete", () => {
      it("records success with the result and completion time", async () => {
        // Prepare
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        await store.startAttempt(job.id, T1);
        // Act
        const done = await store.complete(job.id, { status: "succeeded", result: { answer: 42, tags: ["a"] } }, T2);
        // Assess
        const expected = { ...job, status: "succeeded", attempts: 1, result: { answer: 42, tags: ["a"] }, updatedAt: T2.toISOString(), completedAt: T2.toISOString() };
        expect(done).toEqual(expected);
        expect(await store.get(job.id)).toEqual(expected);
      });

      it("records failure with the error", async () => {
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        await store.startAttempt(job.id, T1);
        const done = await store.complete(job.id, { status: "failed", error: { code: "execution_failed", message: "boom" } }, T2);
        expect(done).toMatchObject({ status: "failed", error: { code: "execution_failed", message: "boom" }, completedAt: T2.toISOString() });
        expect(done).not.toHaveProperty("result");
      });

      it("can fail a job that never started (the queue refused it)", async () => {
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        const done = await store.complete(job.id, { status: "failed", error: { code: "enqueue_failed", message: "m" } }, T1);
        expect(done).toMatchObject({ status: "failed", attempts: 0 });
      });

      it("records only the first outcome; later ones get null", async () => {
        // Prepare
        const store = await makeStore();
        const job = aJob();
        await store.create(job);
        await store.startAttempt(job.id, T0);
        const first = await store.complete(job.id, { status: "succeeded", result: "first" }, T1);
        // Act
        const second = await store.complete(job.id, { status: "failed", error: { code: "late", message: "late" } }, T2);
        // Assess
        expect(second).toBeNull();
        expect(await store.get(job.id)).toEqual(first);
      });

      it("returns null for a missing job and does not create it", async () => {
        const store = await makeStore();
        const id = uniqueId("job");
        expect(await store.complete(id, { status: "succeeded", result: 1 }, T1)).toBeNull();
        expect(await store.get(id)).toBeNull();
      });
    });
  });
}
