import type { ConnectionPush, ConnectionStore } from "../ports/connections.js";
import type { Logger } from "../ports/logger.js";
import { publicJob, type Job } from "./job.js";

/** The message a subscribed WebSocket client receives when its job changes. */
export const jobEvent = (job: Job) => ({ type: "job.updated" as const, job: publicJob(job) });

/**
 * Pushes a job to every connection subscribed to it. Connections that have gone away are removed;
 * a failed push to one client never stops the others, and never fails the job.
 */
export async function notifyJobSubscribers(
  deps: { connections: ConnectionStore; push: ConnectionPush; logger: Logger },
  job: Job,
): Promise<void> {
  const subscribers = await deps.connections.subscribers(job.id);
  const message = jobEvent(job);
  await Promise.all(
    subscribers.map(async (connectionId) => {
      try {
        const delivery = await deps.push.send(connectionId, message);
        if (delivery === "gone") await deps.connections.remove(connectionId);
      } catch (error) {
        deps.logger.warn("push to subscriber failed", { jobId: job.id, connectionId, error: String(error) });
      }
    }),
  );
}
