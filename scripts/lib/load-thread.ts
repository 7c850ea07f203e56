import { parentPort } from "node:worker_threads";
import { compareAll, median } from "./measure.js";

/** One HTTP request the load generator repeats: a POST with a fixed body. */
export interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const once = (spec: RequestSpec) => async () => {
  const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body: spec.body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${spec.url}`);
};

/** Time from sending a streamed request to its first body chunk (then the rest is read). */
async function firstChunk(spec: RequestSpec): Promise<number> {
  const started = performance.now();
  const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body: spec.body });
  const reader = response.body!.getReader();
  await reader.read();
  const elapsed = performance.now() - started;
  while (!(await reader.read()).done);
  return elapsed;
}

parentPort!.on("message", async (message: { id: number; kind: "compare"; paths: Record<string, RequestSpec>; total: number; concurrency: number } | { id: number; kind: "firstChunk"; paths: Record<string, RequestSpec>; samples: number }) => {
  try {
    if (message.kind === "compare") {
      const paths = Object.fromEntries(Object.entries(message.paths).map(([name, spec]) => [name, once(spec)]));
      parentPort!.postMessage({ id: message.id, result: await compareAll(paths, message.total, message.concurrency) });
    } else {
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(message.paths).map((name) => [name, []]));
      for (let i = 0; i < message.samples; i++) for (const [name, spec] of Object.entries(message.paths)) times[name]!.push(await firstChunk(spec));
      // The first sixth is warm-up.
      const skip = Math.floor(message.samples / 6);
      parentPort!.postMessage({ id: message.id, result: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list.slice(skip))])) });
    }
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: String(error) });
  }
});
parentPort!.postMessage({ ready: true });
