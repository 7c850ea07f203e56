import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError, canaryExecutor } from "../src/index.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("canaryExecutor", () => {
  it("returns the message with its SHA-256 and the attempt", async () => {
    const result = await canaryExecutor.execute({ message: "héllo ✓" }, { jobId: "job_1", attempt: 2, ownerId: "owner_1" });
    expect(result).toEqual({ message: "héllo ✓", sha256: sha256("héllo ✓"), attempt: 2 });
  });

  it.each([null, {}])("defaults the message to 'ping' for %j", async (input) => {
    expect(await canaryExecutor.execute(input, { jobId: "job_1", attempt: 1, ownerId: "owner_1" })).toEqual({ message: "ping", sha256: sha256("ping"), attempt: 1 });
  });

  it.each([
    ["a non-string message", { message: 42 }, "message"],
    ["a message over 4096 characters", { message: "x".repeat(4097) }, "message"],
    ["a non-object input", "ping", null],
  ])("fails permanently (DomainError) for %s", async (_, input, param) => {
    const running = canaryExecutor.execute(input, { jobId: "job_1", attempt: 1, ownerId: "owner_1" });
    await expect(running).rejects.toBeInstanceOf(DomainError);
    await expect(running).rejects.toMatchObject({ code: "invalid_request", param });
  });

  it("refuses unknown fields", async () => {
    await expect(canaryExecutor.execute({ message: "a", delay: 5 }, { jobId: "job_1", attempt: 1, ownerId: "owner_1" })).rejects.toMatchObject({ code: "invalid_request" });
  });
});
