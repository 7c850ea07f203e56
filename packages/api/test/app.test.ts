import { describe, expect, it } from "vitest";
import {
  ApiKeyAuthenticator,
  MemoryNonceStore,
  RateLimiter,
  RoutingTable,
  SpendingGuard,
  UsageMeter,
  inferenceExecutors,
  issueApiKey,
  silentLogger,
  silentMetrics,
} from "@tensornode/core";
import {
  FixedClock,
  InMemoryAccountStore,
  InMemoryApiKeyStore,
  InMemoryJobStore,
  InMemoryMinerDirectory,
  InMemoryUsageLedger,
  RecordingJobQueue,
  ScriptedMinerTransport,
  SequentialIds,
  aMiner,
} from "@tensornode/core/testing";
import { createApp, type ApiDeps } from "../src/index.js";

const OWNER = "0.0.1001";
const MINER = "http://a.miners.test";

/** The app on Node-like terms (no Lambda event), every dependency an in-memory fake. */
async function setup() {
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const ids = new SequentialIds();
  const accounts = new InMemoryAccountStore();
  await accounts.create({ accountId: OWNER, createdAt: clock.now().toISOString() });
  await accounts.creditDeposit({ accountId: OWNER, transactionId: "tx_1", from: OWNER, amountTinybars: 1_000_000n, consensusTimestamp: "1.0" });
  const apiKeys = new InMemoryApiKeyStore();
  const { secret } = await issueApiKey({ apiKeys, clock, ids }, { ownerId: OWNER, name: "default" });
  const usage = new InMemoryUsageLedger({ accounts, apiKeys });
  const miners = new InMemoryMinerDirectory();
  await miners.put(aMiner({ minerId: "0.0.1", endpoint: MINER, models: [{ id: "llama", modality: "llm", pricePerUnit: "10" }] }));
  const transport = new ScriptedMinerTransport();
  const meter = new UsageMeter({ usage, logger: silentLogger }, { retryDelaysMs: [1] });
  const inference = {
    routing: new RoutingTable({ miners, clock }),
    transport,
    meter,
    guard: new SpendingGuard({ accounts, meter, clock }),
    limiter: new RateLimiter(clock),
    clock,
    logger: silentLogger,
    defaultRateLimitPerMinute: 1_000,
    deadlineMs: 1_000,
  };
  const deps: ApiDeps = {
    jobs: new InMemoryJobStore(),
    queue: new RecordingJobQueue(),
    executors: new Map(inferenceExecutors(inference).map((e) => [e.kind, e])),
    clock,
    ids,
    logger: silentLogger,
    metrics: silentMetrics,
    apiKeys,
    auth: new ApiKeyAuthenticator({ apiKeys, clock }),
    accounts,
    usage,
    miners,
    inference,
    nonces: new MemoryNonceStore(() => clock.now().getTime()),
    publicKeyOf: async () => null,
    treasuryAccountId: async () => "0.0.2",
    maxBodyBytes: 1024 * 1024,
    maxUploadBytes: 8 * 1024 * 1024,
    version: "test",
  };
  const app = createApp(() => deps);
  const balance = async () => (await accounts.get(OWNER))!.balanceTinybars;
  return { app, secret, transport, meter, usage, balance };
}

const completion = (tokens: number) => ({ id: "c1", object: "chat.completion", choices: [], usage: { prompt_tokens: 1, completion_tokens: tokens - 1, total_tokens: tokens } });

describe("the app's request ids", () => {
  it("charges every request, even when the client sends the same x-request-id each time", async () => {
    // Prepare
    const { app, secret, transport, meter, usage, balance } = await setup();
    transport.script(MINER, { body: completion(5) });
    const chat = () =>
      app.request("/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-request-id": "fixed" },
        body: JSON.stringify({ model: "llama", messages: [{ role: "user", content: "hi" }] }),
      });
    // Act
    const answers = [await chat(), await chat(), await chat()];
    await meter.drain();
    // Assess: three requests served, three charged at 5 tokens × 10 tinybars
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await usage.listByOwner(OWNER, { limit: 10 })).toHaveLength(3);
    expect(await balance()).toBe(1_000_000n - 150n);
  });
});
