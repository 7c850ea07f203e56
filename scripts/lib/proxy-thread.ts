import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parentPort, workerData } from "node:worker_threads";
import { startPassThroughProxy } from "./mock-upstream.js";
import { startRelay } from "./relays.js";

/**
 * One relay to the upstream on its own thread, like the API under test: the bare pass-through
 * proxy, or one of the floors in relays.ts. Posts its URL when listening; answers
 * `eventLoopUtilization` with its busy time and `profile` (start/stop) with a CPU profile.
 */
const { upstream, kind } = workerData as { upstream: string; kind: "proxy" | "tcp" | "hono" };
const relay = kind === "proxy" ? await startPassThroughProxy(upstream) : await startRelay(kind, upstream);
let session: Session | undefined;
parentPort!.on("message", async (message: { id: number; kind: string; file?: string }) => {
  if (message.kind === "eventLoopUtilization") parentPort!.postMessage({ id: message.id, result: performance.eventLoopUtilization() });
  else if (message.kind === "profile.start") {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    await session.post("Profiler.start");
    parentPort!.postMessage({ id: message.id, result: null });
  } else if (message.kind === "profile.stop") {
    const { profile } = await session!.post("Profiler.stop");
    writeFileSync(message.file!, JSON.stringify(profile));
    session!.disconnect();
    parentPort!.postMessage({ id: message.id, result: null });
  }
});
parentPort!.postMessage({ ready: relay.url });
