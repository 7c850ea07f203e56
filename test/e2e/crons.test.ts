import { createServer, type Server } from "node:http";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoEpochStore, DynamoMinerDirectory } from "@tensornode/aws";
import { epochAt } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * The scheduled side of the network through the local runtime: the epoch-close cron queues a
 * settlement on the FIFO queue whose consumer tallies the scores the scoring consumer stored; the
 * health-probe cron checks real miner endpoints.
 */
const EPOCH_SECONDS = 2;
let t: TestNetwork;
let miner: Server;
let minerUrl: string;

beforeAll(async () => {
  // The API reads the miner directory afresh on each request, so a probe's verdict shows at once.
  process.env.ROUTING_CACHE_MS = "1";
  t = await startTestNetwork({ epochSeconds: EPOCH_SECONDS });
  miner = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end("{}"));
  await new Promise<void>((resolve) => miner.listen(0, "127.0.0.1", resolve));
  minerUrl = `http://127.0.0.1:${(miner.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => miner?.close(resolve));
  await t?.close();
});

describe("crons and their queues", () => {
  it("closes the ended epoch and settles it from the scores validators submitted", async () => {
    // Prepare: scores for the current epoch arrive through the scoring queue.
    const epoch = epochAt(new Date(), EPOCH_SECONDS);
    const scores = (validatorId: string, quality: number) =>
      JSON.stringify({ epoch, validatorId, submittedAt: new Date().toISOString(), scores: [{ minerId: "0.0.2001", quality, latencyMs: 100, available: true }] });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: t.network.queues.scoring.url, MessageBody: scores("0.0.3001", 0.9) }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: t.network.queues.scoring.url, MessageBody: scores("0.0.3002", 0.5) }));
    const epochs = new DynamoEpochStore({ client: t.documents, tableName: t.network.tableName });

    // Act: wait for the epoch to end, then fire the cron as EventBridge would.
    await new Promise((r) => setTimeout(r, (epoch + 1) * EPOCH_SECONDS * 1000 - Date.now() + 50));
    const result = (await t.network.fireCron("epochClose")) as { closed: number[] };

    // Assess: this epoch is closed, and the settlement consumer tallied both validators' scores.
    expect(result.closed).toContain(epoch);
    const tally = await eventually(() => epochs.getTally(epoch).then((v) => v ?? undefined), 10_000, "the epoch tally");
    expect(tally.miners).toEqual([{ minerId: "0.0.2001", submissions: 2, meanQuality: 0.7, availability: 1, meanLatencyMs: 100 }]);

    // A second run in the same epoch closes nothing new.
    const again = (await t.network.fireCron("epochClose")) as { closed: number[] };
    expect(again.closed).not.toContain(epoch);
  });

  it("probes registered miners and records their health", async () => {
    const miners = new DynamoMinerDirectory({ client: t.documents, tableName: t.network.tableName });
    await miners.put({ minerId: "0.0.2001", endpoint: minerUrl });
    await miners.put({ minerId: "0.0.2002", endpoint: "http://127.0.0.1:9" }); // nothing listens there

    await t.network.fireCron("healthProbe");
    await t.network.fireCron("healthProbe");

    const byId = Object.fromEntries((await miners.list()).map((m) => [m.minerId, m.health]));
    expect(byId["0.0.2001"]).toMatchObject({ healthy: true, consecutiveFailures: 0 });
    expect(byId["0.0.2002"]).toMatchObject({ healthy: false, consecutiveFailures: 2, lastError: expect.any(String) });
  });

  it("takes a miner that stops answering out of routing, and back in when it recovers; availability is recorded", async () => {
    const miners = new DynamoMinerDirectory({ client: t.documents, tableName: t.network.tableName });
    const flaky = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end("{}"));
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const port = (flaky.address() as { port: number }).port;
    await miners.put({ minerId: "0.0.2003", endpoint: `http://127.0.0.1:${port}`, models: [{ id: "probe-model", modality: "llm", pricePerUnit: "1" }] });
    const served = async () => (((await (await fetch(`${t.network.urls.api}/v1/models`)).json()) as { data: Array<{ id: string; miners: number }> }).data.find((m) => m.id === "probe-model")?.miners ?? 0);
    const publicView = async () => (((await (await fetch(`${t.network.urls.api}/v1/miners`)).json()) as { data: Array<{ id: string; healthy: boolean | null; availability: number | null }> }).data.find((m) => m.id === "0.0.2003")!);

    await t.network.fireCron("healthProbe");
    expect(await served()).toBe(1);

    flaky.closeAllConnections();
    await new Promise<void>((resolve) => flaky.close(() => resolve()));
    await t.network.fireCron("healthProbe"); // one miss is forgiven
    expect(await served()).toBe(1);
    await t.network.fireCron("healthProbe");
    expect(await served()).toBe(0);
    expect(await publicView()).toMatchObject({ healthy: false, availability: 1 / 3 });

    const back = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end("{}"));
    await new Promise<void>((resolve) => back.listen(port, "127.0.0.1", resolve));
    try {
      await t.network.fireCron("healthProbe");
      expect(await served()).toBe(1);
      expect(await publicView()).toMatchObject({ healthy: true, availability: 2 / 4 });
    } finally {
      back.closeAllConnections();
      await new Promise<void>((resolve) => back.close(() => resolve()));
      await miners.remove("0.0.2003");
    }
  });
});
