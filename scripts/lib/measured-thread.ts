import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parentPort } from "node:worker_threads";

export interface ThreadMessage {
  id: number;
  kind: string;
  file?: string;
}

/**
 * Answers the benchmark's questions to a serving thread (the API, a relay): `eventLoopUtilization`
 * (its busy time) and `profile.start` / `profile.stop` (a CPU profile written to `file`). Any other
 * kind goes to `other`, whose result is posted back; errors are posted back too.
 */
export function answerMeasurements(other: (message: ThreadMessage) => Promise<unknown> = async (message) => { throw new Error(`unknown message '${message.kind}'`); }): void {
  let session: Session | undefined;
  parentPort!.on("message", async (message: ThreadMessage) => {
    try {
      let result: unknown = null;
      if (message.kind === "eventLoopUtilization") {
        result = performance.eventLoopUtilization();
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
