import http from "node:http";
import { parentPort } from "node:worker_threads";
import { compareAll, median } from "./measure.js";

/** One HTTP request the load generator repeats: a POST with a fixed body. */
export interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Requests go through Node's keep-alive HTTP client, one agent per origin for the thread's life. Not
 * `fetch`: on this 2-core machine its client side costs ~300 µs of CPU per request, more than the
 * relays under test, and the load generator's own CPU queued the thread under test (measured with
 * /proc/<tid>/schedstat: the direct path's p50 went from 0.30 to 0.09 ms).
 */
const agents = new Map<string, http.Agent>();

/**
 * A function that POSTs the spec's body and resolves with the time to the first body byte once the
 * whole body is read. The URL, agent, body and headers are worked out once, not per request.
 */
function poster(spec: RequestSpec): () => Promise<number> {
  const url = new URL(spec.url);
  let agent = agents.get(url.origin);
  if (!agent) agents.set(url.origin, (agent = new http.Agent({ keepAlive: true, maxSockets: 256 })));
  const body = Buffer.from(spec.body);
  const options: http.RequestOptions = { agent, method: "POST", hostname: url.hostname, port: url.port, path: url.pathname, headers: { ...spec.headers, "content-length": String(body.length) } };
  return () => new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte: number | undefined;
    const request = http.request(options, (response) => {
      response.on("data", () => (firstByte ??= performance.now() - started));
      response.on("end", () => (response.statusCode === 200 ? resolve(firstByte ?? performance.now() - started) : reject(new Error(`HTTP ${response.statusCode} from ${spec.url}`))));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

parentPort!.on("message", async (message: { id: number; kind: "compare"; paths: Record<string, RequestSpec>; total: number; concurrency: number; rounds?: number } | { id: number; kind: "firstChunk"; paths: Record<string, RequestSpec>; samples: number }) => {
  try {
    const posts = Object.entries(message.paths).map(([name, spec]) => [name, poster(spec)] as const);
    if (message.kind === "compare") {
      const paths = Object.fromEntries(posts.map(([name, post]) => [name, async () => void (await post())]));
      parentPort!.postMessage({ id: message.id, result: await compareAll(paths, message.total, message.concurrency, message.rounds) });
    } else {
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(message.paths).map((name) => [name, []]));
      for (let i = 0; i < message.samples; i++) for (const [name, post] of posts) times[name]!.push(await post());
      // The first sixth is warm-up.
      const skip = Math.floor(message.samples / 6);
      parentPort!.postMessage({ id: message.id, result: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list.slice(skip))])) });
    }
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: String(error) });
  }
});
parentPort!.postMessage({ ready: true });
