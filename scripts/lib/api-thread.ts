import { parentPort } from "node:worker_threads";
import { serveOnNode } from "@tensornode/api";
import { answerMeasurements } from "./measured-thread.js";

/**
 * The TensorNode API under test on its own thread, as its own process would be in a container
 * deployment: the app `functions/http.ts` exports, served by Node. It reaches the local network
 * (DynamoDB Local) over 127.0.0.1 through the environment the network set before this thread started.
 * Besides the measurement messages (measured-thread.ts) it answers `countDynamoCalls.start` / `.stop`,
 * so the benchmark can report DynamoDB calls per request.
 */
const { app } = await import("../../functions/http.js");
const { getServices } = await import("../../functions/lib/services.js");
const node = await serveOnNode(app, 0);
let calls = 0;
answerMeasurements(async (message) => {
  const services = getServices();
  if (message.kind === "countDynamoCalls.start") {
    await services.inference().meter.drain();
    calls = 0;
    services.documents.middlewareStack.add((next) => async (args) => (calls++, next(args)), { step: "initialize", name: "benchCallCounter" });
    return null;
  }
  if (message.kind === "countDynamoCalls.stop") {
    await services.inference().meter.drain();
    services.documents.middlewareStack.remove("benchCallCounter");
    return calls;
  }
  throw new Error(`unknown message '${message.kind}'`);
});
parentPort!.postMessage({ ready: node.url });
