import { parentPort, workerData } from "node:worker_threads";
import { answerMeasurements } from "./measured-thread.js";
import { startPassThroughProxy } from "./mock-upstream.js";
import { startRelay } from "./relays.js";

/**
 * One relay to the upstream on its own thread, like the API under test: the bare pass-through
 * proxy, or one of the floors in relays.ts. Posts its URL when listening; answers the
 * benchmark's measurement messages (measured-thread.ts).
 */
const { upstream, kind } = workerData as { upstream: string; kind: "proxy" | "tcp" | "hono" };
const relay = kind === "proxy" ? await startPassThroughProxy(upstream) : await startRelay(kind, upstream);
answerMeasurements();
parentPort!.postMessage({ ready: relay.url });
