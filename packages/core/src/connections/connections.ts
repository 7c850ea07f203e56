import { authenticateApiKey } from "../auth/authenticate.js";
import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import { z } from "zod";
import type { ApiKeyStore } from "../ports/api-keys.js";
import type { Clock } from "../ports/clock.js";
import type { ConnectionPush, ConnectionStore } from "../ports/connections.js";
import type { JobStore } from "../ports/jobs.js";
import type { Logger } from "../ports/logger.js";
import { isTerminal } from "../jobs/job.js";
import { jobEvent } from "../jobs/notify-subscribers.js";

/** `$connect`: only a caller with a valid API key gets a connection. */
export async function openConnection(
  deps: { apiKeys: ApiKeyStore; connections: ConnectionStore; clock: Clock },
  connectionId: string,
  apiKey: string | undefined,
) {
  const principal = await authenticateApiKey(deps, apiKey);
  await deps.connections.save({ connectionId, ownerId: principal.ownerId, connectedAt: deps.clock.now().toISOString(), keyHash: principal.keyHash });
  return principal;
}

/** `$disconnect`: best effort, like API Gateway's own delivery of it. */
export async function closeConnection(deps: { connections: ConnectionStore }, connectionId: string) {
  await deps.connections.remove(connectionId);
}

const subscribeSchema = z.object({ action: z.string(), jobId: z.string().min(1).max(128) });

/**
 * `subscribe` route: the client asks for updates on one of its own jobs.
 *
 * The subscription is written before the job's state is read again: a worker finishing the job at
 * the same moment either sees the subscription when it notifies, or finishes before the second
 * read, which then pushes the result itself. Reading first and subscribing after would lose the
 * update in between. (The client may get the final state twice; events are idempotent.)
 */
export async function subscribeToJob(
  deps: { connections: ConnectionStore; jobs: JobStore; push: ConnectionPush; clock: Clock; logger: Logger },
  connectionId: string,
  body: unknown,
) {
  const { jobId } = parseInput(subscribeSchema, body);
  const connection = await deps.connections.get(connectionId);
  if (!connection) throw new DomainError("unauthenticated", "Unknown connection; reconnect with an API key.");
  const owned = await deps.jobs.get(jobId);
  if (!owned || owned.ownerId !== connection.ownerId) throw new DomainError("not_found", `No job with id '${jobId}'.`, "jobId");
  await deps.connections.subscribe(connectionId, jobId, deps.clock.now());
  const job = (await deps.jobs.get(jobId)) ?? owned;
  if (isTerminal(job)) await deps.push.send(connectionId, jobEvent(job));
  return { jobId, status: job.status };
}

const unsubscribeSchema = z.object({ action: z.string(), jobId: z.string().min(1).max(128) });

export async function unsubscribeFromJob(deps: { connections: ConnectionStore }, connectionId: string, body: unknown) {
  const { jobId } = parseInput(unsubscribeSchema, body);
  await deps.connections.unsubscribe(connectionId, jobId);
  return { jobId };
}
