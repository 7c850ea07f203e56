import { DomainError } from "../shared/errors.js";
import { principalOf, type Principal } from "../auth/authenticate.js";
import type { ApiKeyStore } from "../ports/api-keys.js";
import type { JobContext, JobExecutor } from "../ports/jobs.js";
import type { MinerReply } from "../ports/miner-transport.js";
import { infer, type InferenceDeps } from "./infer.js";
import { OPERATIONS, OPERATION_NAMES, type OperationName } from "./operations.js";
import { encodeJobInput } from "./requests.js";

/**
 * One job kind per inference operation (`chat.completions`, `embeddings`, ...): the worker sends
 * the job's input to a miner exactly as a synchronous request would go, with the same failover,
 * and charges the job's key. The charge is keyed by the job id and awaited before the job
 * completes, so a redelivered or retried job is never charged twice, and a finished job always
 * has been charged. With `apiKeys`, the job runs as its key is now: a key revoked since the job was
 * submitted runs nothing more, and the key's spending limit counts when the job is dispatched.
 */
export function inferenceExecutors(deps: InferenceDeps & { apiKeys?: Pick<ApiKeyStore, "findByHash"> }): JobExecutor[] {
  return OPERATION_NAMES.map((operation) => ({
    kind: operation,
    execute: (input: unknown, context: JobContext) => runInferenceJob(deps, operation, input, context),
  }));
}

async function runInferenceJob(deps: InferenceDeps & { apiKeys?: Pick<ApiKeyStore, "findByHash"> }, operation: OperationName, input: unknown, context: JobContext): Promise<unknown> {
  if (!context.billing) throw new DomainError("invalid_request", "Inference jobs must be submitted with an API key.");
  const encoded = await encodeJobInput(operation, input);
  const principal = await jobPrincipal(deps, context, context.billing);
  // A request with no bound (a transcription the gateway cannot measure) is checked like a sync one.
  if (context.attempt === 1) await deps.guard.assertCanSpend(principal);
  const { reply, usage, release } = await infer(deps, {
    principal,
    operation,
    model: encoded.model,
    body: encoded.body,
    contentType: encoded.contentType,
    requestId: context.jobId,
    source: "job",
    ...(encoded.requestUnits !== undefined && { requestUnits: encoded.requestUnits }),
    ...(encoded.maxUnits !== undefined && { maxUnits: encoded.maxUnits }),
  });
  try {
    if (reply.status < 200 || reply.status >= 300) throw new DomainError("invalid_request", minerErrorMessage(reply));
    const result = decodeReply(reply);
    // Checked before charging: a result the job store cannot hold would fail every redelivery after
    // the charge, leaving the job running until the DLQ, paid for and never delivered.
    if (Buffer.byteLength(JSON.stringify(result ?? null)) + Buffer.byteLength(JSON.stringify(input ?? null)) > MAX_JOB_ITEM_BYTES) {
      throw new DomainError("invalid_request", `The result is too large for a job; send this request to the synchronous endpoint (POST ${OPERATIONS[operation].path}).`);
    }
    if (usage) await deps.meter.charge(usage);
    return result;
  } finally {
    // The job's cost was held as pending spend until its charge landed (or the job failed uncharged).
    release();
  }
}

/**
 * Who a job runs as. The first attempt runs as its key is now (revoked: nothing runs; its spending
 * limit counts). A redelivery may follow a charge that already landed, so it is not refused for
 * what that charge did to the key's spend: it runs under the job's own billing, charged once by id.
 */
async function jobPrincipal(deps: { apiKeys?: Pick<ApiKeyStore, "findByHash"> }, context: JobContext, billing: NonNullable<JobContext["billing"]>): Promise<Principal> {
  if (!deps.apiKeys || context.attempt > 1) return { ownerId: context.ownerId, keyId: billing.keyId, keyHash: billing.keyHash, spentTinybars: 0n };
  const key = await deps.apiKeys.findByHash(billing.keyHash);
  if (!key || key.status !== "active" || key.ownerId !== context.ownerId) {
    throw new DomainError("unauthenticated", "The API key this job was submitted with has been revoked; the job was not run.");
  }
  return principalOf(key);
}

/** A job's input and result share one DynamoDB item (400 KB), with room left for its other fields. */
const MAX_JOB_ITEM_BYTES = 380 * 1024;

/** JSON replies are stored as JSON; audio and other bytes as base64 with their type. */
function decodeReply(reply: MinerReply): unknown {
  if (reply.contentType.startsWith("application/json")) return JSON.parse(new TextDecoder().decode(reply.body));
  if (reply.contentType.startsWith("text/")) return { text: new TextDecoder().decode(reply.body) };
  return { content_type: reply.contentType, data_base64: Buffer.from(reply.body).toString("base64") };
}

function minerErrorMessage(reply: MinerReply): string {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(reply.body)) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: fall through
  }
  return `The miner refused the request (HTTP ${reply.status}).`;
}
