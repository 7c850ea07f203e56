import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parentPort } from "node:worker_threads";

export interface ThreadMessage {
  id: number;
  kind: string;
  file?: string;
}

/** A serving thread's time so far, in ms: event-loop busy time, and where Linux reports it, CPU time and runqueue wait. */
export interface ThreadTimes {
  activeMs: number;
  cpuMs?: number;
  runqueueMs?: number;
}

/**
 * The thread's own scheduler counters (/proc/thread-self/schedstat: ns on a CPU, ns runnable but
 * waiting for one). Busy time alone counts the time a preempted thread waits for a core, and on a
 * 2-core machine running the load generator, the upstream and DynamoDB Local too that is a large part.
 */
function threadTimes(): ThreadTimes {
  const activeMs = performance.eventLoopUtilization().active;
  try {
    const [cpuNs, waitNs] = readFileSync("/proc/thread-self/schedstat", "utf8").trim().split(" ").map(Number);
    return { activeMs, cpuMs: cpuNs! / 1e6, runqueueMs: waitNs! / 1e6 };
  } catch {
    return { activeMs };
  }
}

/**
 * Answers the benchmark's questions to a serving thread (the API, a relay): `times` (see
 * `ThreadTimes`) and `profile.start` / `profile.stop` (a CPU profile written to `file`). Any other
 * kind goes to `other`, whose result is posted back; errors are posted back too.
 */
export function answerMeasurements(other: (message: ThreadMessage) => Promise<unknown> = async (message) => { throw new Error(`unknown message '${message.kind}'`); }): void {
  let session: Session | undefined;
  parentPort!.on("message", async (message: ThreadMessage) => {
    try {
      let result: unknown = null;
      if (message.kind === "times") {
        result = threadTimes();
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
      } else {
        result = await other(message);
      }
      parentPort!.postMessage({ id: message.id, result });
    } catch (error) {
      parentPort!.postMessage({ id: message.id, error: String(error) });
    }
  });
}
