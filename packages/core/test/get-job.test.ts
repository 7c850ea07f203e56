import { describe, expect, it } from "vitest";
import { getJob } from "../src/index.js";
import { InMemoryJobStore, aJob } from "../testing/index.js";

describe("getJob", () => {
  it("returns a job to its owner", async () => {
    const jobs = new InMemoryJobStore();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    expect(await getJob({ jobs }, "owner_1", job.id)).toEqual(job);
  });

  it("reports another account's job as not found, like a missing one", async () => {
    // Prepare
    const jobs = new InMemoryJobStore();
    const job = aJob({ ownerId: "owner_1" });
    await jobs.create(job);
    // Act
    const theirs = getJob({ jobs }, "owner_2", job.id);
    const missing = getJob({ jobs }, "owner_2", "job_missing");
    // Assess
    await expect(theirs).rejects.toMatchObject({ code: "not_found", param: "id" });
    await expect(missing).rejects.toMatchObject({ code: "not_found", param: "id" });
  });

  it("reports an over-long id as not found without looking it up", async () => {
    const jobs = new InMemoryJobStore();
    const job = aJob({ id: "j".repeat(129), ownerId: "owner_1" });
    await jobs.create(job);
    await expect(getJob({ jobs }, "owner_1", job.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
