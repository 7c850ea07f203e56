import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { serveOnNode } from "@tensornode/api";

/**
 * The TensorNode API under test on its own thread, as its own process would be in a container
 * deployment: the app `functions/http.ts` exports, served by Node. It reaches the local network
 * (DynamoDB Local) over 127.0.0.1 through the environment the network set before this thread started.
 * Answers `countDynamoCalls` (start/stop) so the benchmark can report calls per request, and
 * `profile` (start/stop) for a CPU profile of this thread, and `eventLoopUtilization` for its busy time.
 */
const { app } = await import("../../functions/http.js");
const { getServices } = await import("../../functions/lib/services.js");
const node = await serveOnNode(app, 0);
let calls = 0;
let session: Session | undefined;
parentPort!.on("message", async (message: { id: number; kind: string; file?: string }) => {
  const services = getServices();
  try {
    let result: unknown = null;
    if (message.kind === "eventLoopUtilization") {
      result = performance.eventLoopUtilization();
    } else if (message.kind === "countDynamoCalls.start") {
      await services.inference().meter.drain();
      calls = 0;
      services.documents.middlewareStack.add((next) => async (args) => (calls++, next(args)), { step: "initialize", name: "benchCallCounter" });
    } else if (message.kind === "countDynamoCalls.stop") {
      await services.inference().meter.drain();
      services.documents.middlewareStack.remove("benchCallCounter");
      result = calls;
    } else if (message.kind === "profile.start") {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 50 });
      await session.post("Profiler.start");
    } else if (message.kind === "profile.stop") {
      const { profile } = await session!.post("Profiler.stop");
      writeFileSync(message.file!, JSON.stringify(profile));
      session!.disconnect();
    }
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: String(error) });
  }
});
parentPort!.postMessage({ ready: node.url });
