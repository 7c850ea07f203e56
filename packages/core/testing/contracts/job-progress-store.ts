import { describe, expect, it } from "vitest";
import type { JobProgressStore, JobStore } from "../../src/index.js";
import { aJob } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** What every JobProgressStore must do, next to the JobStore it shares the jobs with. */
export function jobProgressStoreContract(make: Make<{ jobs: JobStore; progress: JobProgressStore }>): void {
  describe("JobProgressStore contract", () => {
    it("has no progress for a new job, then the latest recorded", async () => {
      const { jobs, progress } = await make();
      const job = aJob();
      await jobs.create(job);
      expect(await progress.get(job.id)).toBeNull();
      expect(await progress.record(job.id, { stage: "provisioning", at: "2030-01-01T00:00:00.000Z" })).toBe(true);
      const latest = { stage: "reachable", at: "2030-01-01T00:01:00.000Z", data: { hostId: "h-1", endpoint: "http://127.0.0.1:1" } };
      expect(await progress.record(job.id, latest)).toBe(true);
      expect(await progress.get(job.id)).toEqual(latest);
    });

    it("refuses progress for a job that does not exist, without creating it", async () => {
      const { jobs, progress } = await make();
      const job = aJob();
      expect(await progress.record(job.id, { stage: "provisioning", at: "2030-01-01T00:00:00.000Z" })).toBe(false);
      expect(await progress.get(job.id)).toBeNull();
      expect(await jobs.get(job.id)).toBeNull();
    });

    it("leaves the job itself unchanged", async () => {
      const { jobs, progress } = await make();
      const job = aJob();
      await jobs.create(job);
      await progress.record(job.id, { stage: "registered", at: "2030-01-01T00:02:00.000Z" });
      expect(await jobs.get(job.id)).toEqual(job);
    });
  });
}
