/**
 * `npm run bench`: measures the local network in one run and prints ratios, so the figures compare
 * like with like on whatever machine runs them (targets and recorded results: docs/benchmarks.md).
 *
 * 1. GET /health straight to the Hono app on Node vs through the API Gateway emulator + Lambda
 *    handler wrapper (middy, Powertools), at concurrency 1 and 16.
 * 2. Authenticated POST /v1/jobs (one DynamoDB read for the key, one write, one SQS send).
 * 3. Job round trip: POST /v1/jobs → SQS → consumer → DynamoDB → WebSocket push, p50/p99.
 * Everything targets 127.0.0.1 and every loop is bounded.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serveOnNode } from "@tensornode/api";
import { quietLog, startLocalNetwork } from "@tensornode/local";
import WebSocket from "ws";
import { manifest } from "../stacks/manifest.js";
import { compare, fmt, load } from "./lib/measure.js";

const rootDir = resolve(import.meta.dirname, "..");
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";

async function main() {
  const network = await startLocalNetwork({ rootDir, manifest, schedules: false, log: quietLog, demoStateFile: join(mkdtempSync(join(tmpdir(), "tn-bench-")), "local.json") });
  const { app } = await import("../functions/http.js");
  const direct = await serveOnNode(app, 0);
  const apiKey = network.demo.apiKey;
  try {
    const get = (base: string) => async () => {
      const response = await fetch(`${base}/health`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    };
    // Warm both paths (module loading, connection pools).
    await load(get(direct.url), 200, 4);
    await load(get(network.urls.api), 200, 4);

    console.log("GET /health (no dependencies touched)");
    for (const concurrency of [1, 16]) {
      const { a: straight, b: gateway } = await compare(get(direct.url), get(network.urls.api), 2000, concurrency);
      console.log(`  c=${concurrency}  direct  ${fmt(straight)}`);
      console.log(`  c=${concurrency}  gateway ${fmt(gateway)}`);
      console.log(`  c=${concurrency}  gateway/direct: added p50 ${(gateway.p50 - straight.p50).toFixed(2)} ms, throughput ratio ${(gateway.perSecond / straight.perSecond).toFixed(2)}`);
    }

    const submit = (base: string) => async () => {
      const response = await fetch(`${base}/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: '{"kind":"canary"}',
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`HTTP ${response.status}`);
    };
    console.log("POST /v1/jobs (key lookup + job write + SQS send)");
    for (const concurrency of [1, 8]) {
      const { a: straight, b: gateway } = await compare(submit(direct.url), submit(network.urls.api), 400, concurrency);
      console.log(`  c=${concurrency}  direct  ${fmt(straight)}`);
      console.log(`  c=${concurrency}  gateway ${fmt(gateway)}  ratio ${(gateway.perSecond / straight.perSecond).toFixed(2)}`);
    }

    console.log("Job round trip: POST → SQS → consumer → DynamoDB → WebSocket push");
    const socket = new WebSocket(`${network.urls.websocket}?api_key=${encodeURIComponent(apiKey)}`);
    await new Promise((r, j) => socket.once("open", r).once("error", j));
    const waiting = new Map<string, () => void>();
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString()) as { type: string; job?: { id: string; status: string } };
      if (message.type === "job.updated" && message.job) waiting.get(message.job.id)?.();
    });
    const roundTrip = async () => {
      const response = await fetch(`${network.urls.api}/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: '{"kind":"canary"}',
      });
      const { id } = (await response.json()) as { id: string };
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no push for ${id} within 10 s`)), 10_000);
        waiting.set(id, () => (clearTimeout(timer), done()));
        socket.send(JSON.stringify({ action: "subscribe", jobId: id }));
      });
      waiting.delete(id);
    };
    await load(roundTrip, 20, 1); // warm the consumer path
    for (const concurrency of [1, 8]) console.log(`  c=${concurrency}  ${fmt(await load(roundTrip, 200, concurrency)).replace("req/s", "jobs/s")}`);
    socket.close();
  } finally {
    await direct.close();
    await network.close();
  }
}

await main();
