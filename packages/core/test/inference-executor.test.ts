import { describe, expect, it } from "vitest";
import { inferenceExecutors, processJobMessage, silentMetrics, type Job } from "../src/index.js";
import { InMemoryConnectionStore, InMemoryJobStore, RecordingConnectionPush, anApiKeyRecord } from "../testing/index.js";
import { WORLD_OWNER, inferenceWorld } from "./support/inference-world.js";

const OWNER = WORLD_OWNER;
const MINER = "http://miner.example";

/** The inference job kinds run by the real job processor, on fakes of every port. */
async function setup() {
  const { deps: inference, transport, apiKeys, usage, logger, clock, balanceNow } = await inferenceWorld({
    miners: [{ minerId: "0.0.7", endpoint: MINER, models: [{ id: "use-lite-512", modality: "embeddings", pricePerUnit: "3" }, { id: "flite-slt", modality: "tts", pricePerUnit: "2" }] }],
    deadlineMs: 5_000,
  });
  const key = anApiKeyRecord({ ownerId: OWNER });
  await apiKeys.save(key);
  const jobs = new InMemoryJobStore();
  const deps = {
    jobs,
    executors: new Map(inferenceExecutors({ ...inference, apiKeys }).map((e) => [e.kind, e])),
    connections: new InMemoryConnectionStore(),
    push: new RecordingConnectionPush(),
    clock,
    logger,
    metrics: silentMetrics,
    maxAttempts: 3,
  };
  const submit = async (kind: string, input: unknown, id = `job_${kind}`): Promise<Job> => {
    const job: Job = { id, ownerId: OWNER, kind, input, status: "queued", attempts: 0, createdAt: "2030-01-01T00:00:00.000Z", updatedAt: "2030-01-01T00:00:00.000Z", billing: { keyId: key.keyId, keyHash: key.keyHash } };
    await jobs.create(job);
    return job;
  };
  const balance = async () => (await balanceNow())!;
  return { deps, transport, jobs, submit, balance, usage, apiKeys, key };
}

describe("inference jobs", () => {
  it("dispatch to a miner, store the reply as the result, and charge the job's key once, even when redelivered", async () => {
    const { deps, transport, submit, balance, usage } = await setup();
    transport.script(MINER, { body: { object: "list", data: [{ embedding: [0.1] }], usage: { prompt_tokens: 7, total_tokens: 7 } } });
    const job = await submit("embeddings", { model: "use-lite-512", input: "hello" });
    const finished = await processJobMessage(deps, JSON.stringify({ jobId: job.id }));
    expect(finished).toMatchObject({ status: "succeeded", result: { usage: { total_tokens: 7 } } });
    expect(await balance()).toBe(1_000_000n - 21n);
    // SQS delivers the message again: the job is terminal, nothing runs, nothing is charged.
    expect(await processJobMessage(deps, JSON.stringify({ jobId: job.id }))).toBeNull();
    expect(await balance()).toBe(1_000_000n - 21n);
    expect((await usage.listByOwner(OWNER, { limit: 10 })).map((r) => [r.id, r.source, r.cost])).toEqual([[job.id, "job", 21n]]);
  });

  it("a worker that crashed after charging is retried without a second charge", async () => {
    const { deps, transport, submit, balance, jobs } = await setup();
    transport.script(MINER, { body: { object: "list", data: [], usage: { total_tokens: 5 } } });
    const job = await submit("embeddings", { model: "use-lite-512", input: "x" });
    // First attempt: charged, then the worker died before completing the job (simulated by
    // running the executor directly and leaving the job running).
    await jobs.startAttempt(job.id, new Date());
    await deps.executors.get("embeddings")!.execute(job.input, { jobId: job.id, attempt: 1, ownerId: OWNER, billing: job.billing! });
    expect(await balance()).toBe(1_000_000n - 15n);
    // The message comes back after its visibility timeout: the job runs again and completes.
    expect(await processJobMessage(deps, JSON.stringify({ jobId: job.id }))).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await balance()).toBe(1_000_000n - 15n);
  });

  it("speech is billed per character of input, measured by the gateway; audio comes back as base64", async () => {
    const { deps, transport, submit, balance } = await setup();
    transport.script(MINER, { status: 200, contentType: "audio/wav", body: "RIFF....WAVE" });
    const job = await submit("audio.speech", { model: "flite-slt", input: "héllo" });
    const finished = await processJobMessage(deps, JSON.stringify({ jobId: job.id }));
    expect(finished?.result).toEqual({ content_type: "audio/wav", data_base64: Buffer.from("RIFF....WAVE").toString("base64") });
    expect(await balance()).toBe(1_000_000n - 5n * 2n);
  });

  it("a result too large to store with the job (one DynamoDB item) fails the job at once, uncharged, instead of retrying forever", async () => {
    // Prepare: 30 s of 16 kHz 16-bit speech, about 1.3 MB as base64
    const { deps, transport, submit, balance } = await setup();
    transport.script(MINER, { status: 200, contentType: "audio/wav", body: "x".repeat(960_000) });
    const job = await submit("audio.speech", { model: "flite-slt", input: "a long paragraph" });
    // Act
    const finished = await processJobMessage(deps, JSON.stringify({ jobId: job.id }));
    // Assess
    expect(finished).toMatchObject({ status: "failed", error: { code: "invalid_request", message: expect.stringContaining("/v1/audio/speech") } });
    expect(await balance()).toBe(1_000_000n);
  });

  it("fail without retry on input the operation refuses, and on a miner's 400", async () => {
    const { deps, transport, submit, balance } = await setup();
    const bad = await submit("embeddings", { model: "use-lite-512" });
    expect(await processJobMessage(deps, JSON.stringify({ jobId: bad.id }))).toMatchObject({ status: "failed", error: { code: "invalid_request" } });
    transport.script(MINER, { status: 400, body: { error: { message: "input too long", type: "invalid_request_error" } } });
    const refused = await submit("audio.speech", { model: "flite-slt", input: "x" });
    expect(await processJobMessage(deps, JSON.stringify({ jobId: refused.id }))).toMatchObject({ status: "failed", error: { message: "input too long" } });
    expect(await balance()).toBe(1_000_000n);
  });

  it("run as their key is now: a key revoked since submission runs nothing, and the key's spending limit counts", async () => {
    const { deps, transport, submit, apiKeys, key, balance } = await setup();
    transport.script(MINER, { body: { object: "list", data: [], usage: { total_tokens: 5 } } });
    const revoked = await submit("embeddings", { model: "use-lite-512", input: "x" });
    await apiKeys.save({ ...key, status: "revoked", revokedAt: "2030-01-01T00:00:01.000Z" });
    expect(await processJobMessage(deps, JSON.stringify({ jobId: revoked.id }))).toMatchObject({ status: "failed", error: { message: expect.stringContaining("revoked") } });
    // A limit below the job's worst case (1 byte + overhead, at 3 tinybars a token): refused before dispatch.
    await apiKeys.save({ ...key, status: "active", spendLimitTinybars: "10" });
    const capped = await submit("embeddings", { model: "use-lite-512", input: "y" }, "job_capped");
    expect(await processJobMessage(deps, JSON.stringify({ jobId: capped.id }))).toMatchObject({ status: "failed", error: { message: expect.stringContaining("tinybars") } });
    expect(transport.calls).toHaveLength(0);
    expect(await balance()).toBe(1_000_000n);
  });

  it("a redelivery after the charge landed is not refused for what that charge did to the key's spend", async () => {
    const { deps, transport, submit, apiKeys, key, balance, jobs } = await setup();
    transport.script(MINER, { body: { object: "list", data: [], usage: { total_tokens: 5 } } });
    await apiKeys.save({ ...key, spendLimitTinybars: "60" });
    const job = await submit("embeddings", { model: "use-lite-512", input: "x" }, "job_redelivered");
    // First attempt charged 15, then the worker died; the key's spend now leaves less than the job's worst case (27).
    await jobs.startAttempt(job.id, new Date());
    await deps.executors.get("embeddings")!.execute(job.input, { jobId: job.id, attempt: 1, ownerId: OWNER, billing: job.billing! });
    await apiKeys.save({ ...key, spendLimitTinybars: "60", spentTinybars: "45" });
    expect(await processJobMessage(deps, JSON.stringify({ jobId: job.id }))).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await balance()).toBe(1_000_000n - 15n);
  });

  it("a job with no bound is refused before dispatch when the account has nothing left", async () => {
    const { deps, transport, submit, apiKeys, key } = await setup();
    transport.script(MINER, { body: { text: "hello" } });
    await apiKeys.save({ ...key, spendLimitTinybars: "5", spentTinybars: "5" });
    // A transcription of audio the gateway cannot measure has no worst case to check.
    const job = await submit("audio.transcriptions", { model: "pocketsphinx-en-us", file: Buffer.from("not a wav").toString("base64") }, "job_unbounded");
    expect(await processJobMessage(deps, JSON.stringify({ jobId: job.id }))).toMatchObject({ status: "failed", error: { message: expect.stringContaining("spending limit") } });
    expect(transport.calls).toHaveLength(0);
  });
});
