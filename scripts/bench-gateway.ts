/**
 * `npm run bench`, developer API part: a synchronous chat completion straight to an OpenAI-compatible
 * upstream vs through the TensorNode API with everything on (API key auth, rate limit, balance check,
 * routing, dispatch signing, metering), measured in one run:
 *
 * - the Hono app served by Node (`serveOnNode`, what a container deployment runs), and separately the
 *   local API Gateway emulator + Lambda entry point (what AWS runs);
 * - a bare keep-alive pass-through proxy, the floor any Node gateway can approach on this machine;
 * - p50/p99 and requests/s at concurrency 1 and 32; time to the first streamed chunk;
 * - DynamoDB calls per request on the hot path (keys and routing cached, metering asynchronous).
 *
 * The upstream is a minimal mock (scripts/lib/mock-upstream.ts), so the figures are what the gateway
 * adds, not what an engine costs. The load generator and the upstream each run on their own thread
 * (scripts/lib/threads.ts), as client, gateway and miner are separate machines in production; the
 * gateway under test and the bare proxy share the main thread with the local network's servers.
 * Everything is on 127.0.0.1 and every loop is bounded.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { signRequest } from "@tensornode/core";
import { quietLog, startLocalNetwork } from "@tensornode/local";
import { manifest } from "../stacks/manifest.js";
import { fmt, type LoadResult } from "./lib/measure.js";
import { childCpuMs } from "./lib/process-cpu.js";
import { startThread } from "./lib/threads.js";
import type { RequestSpec } from "./lib/load-thread.js";
import type { ThreadTimes } from "./lib/measured-thread.js";

const rootDir = resolve(import.meta.dirname, "..");
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";

const MODEL = "bench-upstream";
const BODY = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16 });
const STREAM_BODY = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16, stream: true });

async function main() {
  const network = await startLocalNetwork({ rootDir, manifest, schedules: false, log: quietLog, demoStateFile: join(mkdtempSync(join(tmpdir(), "tn-bench-")), "local.json") });
  const upstreamThread = startThread(new URL("./lib/upstream-thread.ts", import.meta.url));
  const upstream = { url: await upstreamThread.ready<string>() };
  const loadThread = startThread(new URL("./lib/load-thread.ts", import.meta.url));
  await loadThread.ready();
  const relayThread = (kind: "proxy" | "tcp" | "hono") => startThread(new URL("./lib/proxy-thread.ts", import.meta.url), { upstream: upstream.url, kind });
  const [proxyThread, tcpThread, honoThread] = [relayThread("proxy"), relayThread("tcp"), relayThread("hono")];
  const [proxy, tcp, hono] = await Promise.all([proxyThread, tcpThread, honoThread].map(async (thread) => ({ url: await thread.ready<string>() })));
  const apiThread = startThread(new URL("./lib/api-thread.ts", import.meta.url));
  const node = { url: await apiThread.ready<string>() };
  try {
    // The upstream joins the network like any miner: a registration signed with a miner's Hedera key.
    const miner = network.hedera.accounts.miners[0]!;
    const registration = JSON.stringify({ endpoint: upstream.url, models: [{ id: MODEL, modality: "llm", pricePerUnit: "1" }] });
    const registered = await fetch(`${network.urls.api}/v1/miners`, {
      method: "POST",
      headers: { ...signRequest({ method: "POST", path: "/v1/miners", body: registration }, miner.accountId, miner.privateKey), "content-type": "application/json" },
      body: registration,
    });
    if (registered.status !== 201) throw new Error(`registration failed: HTTP ${registered.status} ${await registered.text()}`);
    // A key whose rate limit the benchmark cannot reach, so it measures the path, not the limiter's refusals.
    const created = await fetch(`${network.urls.api}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${network.demo.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench", rate_limit_per_minute: 100_000 }),
    });
    const apiKey = ((await created.json()) as { secret: string }).secret;

    const spec = (base: string, withKey: boolean, body = BODY): RequestSpec => ({
      url: `${base}/v1/chat/completions`,
      headers: { "content-type": "application/json", ...(withKey && { authorization: `Bearer ${apiKey}` }) },
      body,
    });
    const paths = { direct: spec(upstream.url, false), tcp: spec(tcp!.url, false), proxy: spec(proxy!.url, false), hono: spec(hono!.url, false), api: spec(node.url, true), gateway: spec(network.urls.api, true) };
    const compare = (total: number, concurrency: number) => loadThread.call<Record<keyof typeof paths, LoadResult>>({ kind: "compare", paths, total, concurrency });
    await compare(1200, 4); // warm modules, pools, caches, the JVM

    console.log("Sync chat completion (mock upstream): direct vs TCP relay vs bare proxy vs empty Hono relay vs TensorNode API (Node) vs local API Gateway + Lambda");
    for (const [concurrency, total] of [[1, 2000], [32, 6000]] as const) {
      const r = await compare(total, concurrency);
      for (const [name, result] of Object.entries(r)) console.log(`  c=${concurrency}  ${name.padEnd(7)} ${fmt(result)}`);
      const ratio = (x: number) => `${(x * 100).toFixed(1)}%`;
      const added = (name: keyof typeof paths) => (r[name].p50 - r.direct.p50).toFixed(3);
      console.log(
        `  c=${concurrency}  API adds p50 ${added("api")} ms (floors: TCP relay ${added("tcp")}, bare proxy ${added("proxy")}, empty Hono relay ${added("hono")} ms); ` +
          `throughput vs direct: API ${ratio(r.api.perSecond / r.direct.perSecond)}, proxy ${ratio(r.proxy.perSecond / r.direct.perSecond)}, gateway ${ratio(r.gateway.perSecond / r.direct.perSecond)}`,
      );
    }

    // Per request on each gateway's own thread: CPU time and runqueue wait where Linux reports them
    // (steadier than latency on a VM), else event-loop busy time.
    const perRequest: Record<string, ThreadTimes> = {};
    let dynamoCpuPerRequest: number | undefined;
    for (const [name, thread] of [["tcp", tcpThread], ["proxy", proxyThread], ["hono", honoThread], ["api", apiThread]] as const) {
      const dynamoBefore = name === "api" ? childCpuMs("DynamoDBLocal") : undefined;
      const before = await thread.call<ThreadTimes>({ kind: "times" });
      await loadThread.call({ kind: "compare", paths: { [name]: paths[name] }, total: 2000, concurrency: 1, rounds: 1 });
      const after = await thread.call<ThreadTimes>({ kind: "times" });
      if (name === "api" && dynamoBefore !== undefined) dynamoCpuPerRequest = ((childCpuMs("DynamoDBLocal")! - dynamoBefore) * 1000) / 2000;
      const each = (field: keyof ThreadTimes) => (after[field] === undefined ? undefined : ((after[field]! - before[field]!) * 1000) / 2000);
      perRequest[name] = { activeMs: each("activeMs")!, ...(after.cpuMs !== undefined && { cpuMs: each("cpuMs"), runqueueMs: each("runqueueMs") }) };
    }
    const cpu = perRequest.api!.cpuMs !== undefined;
    const µs = (name: string) => (cpu ? perRequest[name]!.cpuMs! : perRequest[name]!.activeMs).toFixed(0);
    console.log(
      `  c=1  ${cpu ? "CPU time" : "busy time"} per request on the serving thread: TCP relay ${µs("tcp")} µs, bare proxy ${µs("proxy")} µs, empty Hono relay ${µs("hono")} µs, API ${µs("api")} µs` +
        (cpu ? ` (API thread also waited ${perRequest.api!.runqueueMs!.toFixed(0)} µs for a core, busy ${perRequest.api!.activeMs.toFixed(0)} µs)` : ""),
    );
    if (dynamoCpuPerRequest !== undefined) console.log(`  c=1  DynamoDB Local (same cores) spent ${dynamoCpuPerRequest.toFixed(0)} µs of CPU per API request, writing the usage charges`);

    // Time to the first streamed chunk, c=1, paths alternating.
    const ttfc = await loadThread.call<{ direct: number; api: number }>({ kind: "firstChunk", paths: { direct: spec(upstream.url, false, STREAM_BODY), api: spec(node.url, true, STREAM_BODY) }, samples: 600 });
    console.log(`Streamed chat (mock upstream, c=1): time to first chunk p50 direct ${ttfc.direct.toFixed(3)} ms, API ${ttfc.api.toFixed(3)} ms, added ${(ttfc.api - ttfc.direct).toFixed(3)} ms`);

    // DynamoDB calls on the hot path: count every command the API's client sends.
    await apiThread.call({ kind: "countDynamoCalls.start" });
    const requests = 500;
    await loadThread.call({ kind: "compare", paths: { api: paths.api }, total: requests, concurrency: 4, rounds: 1 });
    const calls = await apiThread.call<number>({ kind: "countDynamoCalls.stop" });
    console.log(`DynamoDB calls per API request: ${(calls / requests).toFixed(2)} (${calls} for ${requests} requests; the usage charge is one TransactWriteItems)`);
    if (process.env.BENCH_PROFILE) {
      await apiThread.call({ kind: "profile.start" });
      await loadThread.call({ kind: "compare", paths: { api: paths.api }, total: 3000, concurrency: 1, rounds: 1 });
      await apiThread.call({ kind: "profile.stop", file: process.env.BENCH_PROFILE });
    }
  } finally {
    await apiThread.stop();
    await Promise.all([proxyThread, tcpThread, honoThread].map((thread) => thread.stop()));
    await loadThread.stop();
    await upstreamThread.stop();
    await network.close();
  }
}

await main();
