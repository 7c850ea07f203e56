import { parentPort } from "node:worker_threads";
import { startMockUpstream } from "./mock-upstream.js";

/** The mock upstream on its own thread; posts its URL when listening. */
const upstream = await startMockUpstream();
parentPort!.postMessage({ ready: upstream.url });
