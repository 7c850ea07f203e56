import { parentPort, workerData } from "node:worker_threads";
import { startPassThroughProxy } from "./mock-upstream.js";

/** The bare pass-through proxy on its own thread, like the API under test; posts its URL when listening. */
const proxy = await startPassThroughProxy(workerData.upstream as string);
parentPort!.postMessage({ ready: proxy.url });
parentPort!.on("message", (message: { id: number; kind: string }) => {
  if (message.kind === "eventLoopUtilization") parentPort!.postMessage({ id: message.id, result: performance.eventLoopUtilization() });
});
