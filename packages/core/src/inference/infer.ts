import { DomainError } from "../shared/errors.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import { MinerUnreachableError, type MinerReply, type MinerReplyHead, type MinerTransport } from "../ports/miner-transport.js";
import type { Principal } from "../auth/authenticate.js";
import type { RateLimiter } from "../billing/rate-limiter.js";
import { reservedInFlight, type SpendingGuard } from "../billing/spending-guard.js";
import { costOf, type UsageRecord } from "../billing/usage.js";
import type { UsageMeter } from "../billing/usage-meter.js";
import type { Modality } from "../miners/miner.js";
import type { Candidate, RoutingTable } from "../routing/routing-table.js";
import { OPERATIONS, unitFor, type OperationName } from "./operations.js";
import { boundFor, type UnitBound } from "./requests.js";
import { SseUsageTap } from "./sse-usage-tap.js";
import { billedUsage, countPromptTokens, countServedTokens, withUsage, type CountedUsage } from "./token-count.js";

export interface InferenceDeps {
  routing: RoutingTable;
  transport: MinerTransport;
  meter: UsageMeter;
  guard: SpendingGuard;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  /** Requests per minute for keys without their own limit. */
  defaultRateLimitPerMinute: number;
  /** How long one request may take across every miner it is tried on. */
  deadlineMs: number;
}

export interface InferenceCall {
  principal: Principal;
  operation: OperationName;
  model: string;
  /** Forwarded to the miner unchanged. */
  body: Uint8Array;
  contentType: string;
  /** Also the usage record's id: one request is charged once. */
  requestId: string;
  source: "sync" | "stream" | "job";
  /**
   * Units the gateway measured from the request itself (characters, images, audio seconds), or a
   * function of the serving model's modality (a chat with images is billed per image by a vision
   * model, per token by a language model); otherwise the miner's reported usage counts.
   */
  requestUnits?: number | ((modality: Modality) => number | undefined);
  /**
   * An upper bound of the units the request can cost (see `maxUnitsOf`), per serving model. Miners
   * whose price for that many units exceeds what the account (and the key) can still spend are
   * skipped, and 402 is the answer when no miner is affordable. While the request runs its bound's
   * cost is reserved, so concurrent requests cannot spend the same balance twice, and it is never
   * billed more than its bound, whatever the miner reports.
   */
  maxUnits?: UnitBound;
}

function requestUnitsFor(call: InferenceCall, candidate: Candidate): number | undefined {
  return typeof call.requestUnits === "function" ? call.requestUnits(candidate.model.modality) : call.requestUnits;
}

/** Rate limit, then balance: the checks before any work is dispatched (429, 402). */
export async function admit(deps: Pick<InferenceDeps, "limiter" | "guard" | "defaultRateLimitPerMinute">, principal: Principal): Promise<void> {
  const limit = principal.rateLimitPerMinute ?? deps.defaultRateLimitPerMinute;
  const taken = await deps.limiter.take(principal.keyHash, limit);
  if (!taken.allowed) {
    throw new DomainError("rate_limited", `Rate limit of ${limit} requests per minute reached for this API key. Retry after ${taken.retryAfterSeconds} s.`, null, { retryAfterSeconds: taken.retryAfterSeconds });
  }
  await deps.guard.assertCanSpend(principal);
}

/**
 * Sends the request to the best miner for the model and fails over to the next on an error or a
 * timeout, within the request's deadline. A miner's 4xx about the request itself (400/413/415/422)
 * is the client's answer and is returned as is, uncharged. Success is metered at the serving
 * miner's price (in the background; jobs charge themselves, see `usageFor`).
 */
export async function infer(deps: InferenceDeps, call: InferenceCall): Promise<{ reply: MinerReply; candidate: Candidate; usage?: UsageRecord; release: () => void }> {
  const tried = await tryMiners(deps, call, (request) => deps.transport.send(request));
  const { candidate, release } = tried;
  let reply = tried.reply;
  let held = () => {};
  try {
    if (!isSuccess(reply.status)) return { reply, candidate, release: held };
    let units = requestUnitsFor(call, candidate) ?? unitsFromReply(call.operation, reply.body);
    let counted: CountedUsage | undefined;
    if (units === undefined) {
      counted = await countedOrNothing(deps, call, candidate, () => countServedTokens(call.operation, call.body, reply.body));
      if (counted === undefined) deps.logger.warn("miner reply carried no usage; charged nothing", { minerId: candidate.minerId, requestId: call.requestId });
      else deps.logger.warn("miner reply carried no usage; billed the tokens the gateway counted", { minerId: candidate.minerId, requestId: call.requestId, tokens: counted.total_tokens });
      units = counted?.total_tokens;
    }
    const usage = usageFor(deps, call, candidate, billable(deps, call, candidate, units ?? 0));
    if (counted) reply = { ...reply, body: withUsage(reply.body, counted, usage.units) };
    // A sync request's charge is pending from here; a job charges itself later, so its actual
    // cost stays reserved until the caller releases it, after that charge has landed.
    if (call.source !== "job") deps.meter.record(usage);
    else held = deps.meter.reserve(call.principal.ownerId, call.principal.keyHash, usage.cost);
    return { reply, candidate, usage, release: held };
  } finally {
    // After `record` (or the job's hold): the cost is pending before the worst case goes, so there is no gap.
    release();
  }
}

/**
 * A streamed chat completion: resolves when the serving miner's headers arrive; the body streams
 * through a usage tap and the request is metered when the stream ends (or is cut off).
 */
export async function inferStream(
  deps: InferenceDeps,
  call: InferenceCall & { clientWantsUsage: boolean },
): Promise<{ head: MinerReplyHead; candidate: Candidate; body: AsyncIterable<Uint8Array>; errorBody?: Uint8Array }> {
  let cancel = () => {};
  const { reply, candidate, release } = await tryMiners(deps, call, async (request) => {
    const streamed = await deps.transport.stream(request);
    cancel = streamed.cancel;
    if (isSuccess(streamed.status)) return streamed;
    return { ...streamed, body: await collect(streamed.body) };
  });
  if (!isSuccess(reply.status)) {
    release();
    return { head: reply, candidate, body: emptyStream(), errorBody: reply.body as Uint8Array };
  }
  const tap = new SseUsageTap(call.clientWantsUsage);
  const source = reply.body as AsyncIterable<Uint8Array>;
  const fixedUnits = requestUnitsFor(call, candidate);
  // Metered once, when the stream ends, is cut off, or is dropped before it was read; then the reservation goes.
  let metered = false;
  const settle = (units: number) => {
    try {
      deps.meter.record(usageFor(deps, call, candidate, billable(deps, call, candidate, units)));
    } finally {
      release();
    }
  };
  // A stream without a usable usage chunk that generated something is billed the gateway's count: the
  // prompt as counted and a token per content chunk (engines stream one token per chunk). Counted once,
  // whether for the usage chunk the client asked for, for the bill, or both.
  const needsCount = (reported: number | undefined) => fixedUnits === undefined && reported === undefined && tap.contentChunks > 0;
  let counting: Promise<CountedUsage | undefined> | undefined;
  const countStream = () =>
    (counting ??= countedOrNothing(deps, call, candidate, () => countPromptTokens(call.body)).then((prompt) => {
      if (prompt === undefined) return undefined;
      const usage = { prompt_tokens: prompt, completion_tokens: tap.contentChunks, total_tokens: prompt + tap.contentChunks };
      deps.logger.warn("miner stream carried no usage; billed the tokens the gateway counted", { minerId: candidate.minerId, requestId: call.requestId, tokens: usage.total_tokens });
      return usage;
    }));
  const meter = (reported: number | undefined) => {
    if (metered) return;
    metered = true;
    // A stream that delivered nothing (cut off or dropped before its first token) is not billed its prompt.
    if (!needsCount(reported)) return settle(fixedUnits ?? reported ?? 0);
    // Counting is asynchronous; `drain` waits for it. If it fails, the content chunks alone are billed.
    deps.meter.track(countStream().then((usage) => settle(usage?.total_tokens ?? tap.contentChunks)));
  };
  async function* tapped() {
    let finished = false;
    try {
      for await (const chunk of source) {
        const out = tap.push(chunk);
        if (out.length) yield out;
      }
      const rest = tap.end();
      if (rest.length) yield rest;
      // The miner's last word was a usage chunk with `usage: null`: it goes out with the gateway's count.
      if (tap.holdsUsageChunk) {
        const usage = call.clientWantsUsage && needsCount(undefined) ? await countStream() : undefined;
        const held = tap.releaseHeld(usage && billedUsage(usage, billable(deps, call, candidate, usage.total_tokens)));
        if (held.length) yield held;
      }
      finished = true;
    } finally {
      if (!finished) cancel();
      // Cut short (client gone, miner died): charge the chunks that were generated.
      // The miner's usage chunk is untrusted input: a count that cannot be priced falls back to the chunks.
      meter(tap.usage ? tokensFromUsage(tap.usage) : undefined);
    }
  }
  // Dropped before it was read: nothing reached the client, nothing is billed.
  return { head: reply, candidate, body: closingOnReturn(tapped(), () => (cancel(), meter(0))) };
}

/**
 * An async generator's `return()` skips its `finally` when it never started; a consumer that
 * drops a stream before reading it would leave the miner's stream open and the reservation held.
 */
function closingOnReturn<T>(generator: AsyncGenerator<T>, onUnstartedReturn: () => void): AsyncIterable<T> {
  let started = false;
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        started = true;
        return generator.next();
      },
      return: (value?: unknown) => {
        if (!started) onUnstartedReturn();
        return generator.return(value as T);
      },
    }),
  };
}

/** Units to bill: what was measured, reported or counted, but never more than the request's bound (a miner's count is untrusted). */
function billable(deps: Pick<InferenceDeps, "logger">, call: InferenceCall, candidate: Candidate, units: number): number {
  const bound = boundFor(call.maxUnits, candidate.model);
  if (bound === undefined || units <= bound) return units;
  deps.logger.warn("the reply's units exceed what the request could use; billed its bound", { minerId: candidate.minerId, requestId: call.requestId, units, bound });
  return Math.ceil(bound);
}

/**
 * The gateway's own count, or undefined if counting fails (the tokenizer did not load, a reply too
 * deeply nested to serialise): work already served is never turned into an error by its metering.
 */
async function countedOrNothing<T>(deps: Pick<InferenceDeps, "logger">, call: InferenceCall, candidate: Candidate, count: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await count();
  } catch (error) {
    deps.logger.error("the gateway could not count the tokens of a reply without usage", { minerId: candidate.minerId, requestId: call.requestId, error: String(error) });
    return undefined;
  }
}

/** The usage record of a served call (jobs charge it themselves, idempotently on the job id). */
export function usageFor(deps: Pick<InferenceDeps, "clock">, call: InferenceCall, candidate: Candidate, units: number): UsageRecord {
  return {
    id: call.requestId,
    ownerId: call.principal.ownerId,
    keyId: call.principal.keyId,
    keyHash: call.principal.keyHash,
    operation: call.operation,
    model: call.model,
    modality: candidate.model.modality,
    minerId: candidate.minerId,
    unit: unitFor(call.operation, candidate.model.modality),
    units,
    pricePerUnit: candidate.pricePerUnit,
    cost: costOf(units, candidate.pricePerUnit),
    source: call.source,
    createdAt: deps.clock.now().toISOString(),
  };
}

async function tryMiners<R extends MinerReplyHead>(
  deps: InferenceDeps,
  call: InferenceCall,
  send: (request: Parameters<MinerTransport["send"]>[0]) => Promise<R>,
): Promise<{ reply: R; candidate: Candidate; release: () => void }> {
  const all = await candidatesFor(deps, call.operation, call.model);
  // Read once: the balance as cached; the function subtracts pending charges and reservations as they are when called.
  const spendable = call.maxUnits === undefined ? undefined : await deps.guard.spendable(call.principal);
  const candidates = spendable ? affordable(call, all, spendable(), deps.meter.reservedForOwner(call.principal.ownerId)) : all;
  const deadline = Date.now() + deps.deadlineMs;
  const failures: string[] = [];
  let timedOut = 0;
  let reservedElsewhere = 0;
  for (const candidate of candidates) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    // Check and reserve with nothing in between: concurrent requests of the account see this one's reservation.
    const cost = worstCase(call, candidate);
    if (spendable && cost > 0n && cost > spendable()) {
      reservedElsewhere++;
      failures.push(`${candidate.minerId}: the account's requests in flight have reserved what it can spend`);
      continue;
    }
    const release = deps.meter.reserve(call.principal.ownerId, call.principal.keyHash, cost);
    deps.routing.started(candidate.minerId);
    const started = performance.now();
    let reply: R;
    try {
      reply = await send({ endpoint: candidate.endpoint, path: OPERATIONS[call.operation].path, contentType: call.contentType, body: call.body, requestId: call.requestId, timeoutMs: remaining });
    } catch (error) {
      release();
      deps.routing.finished(candidate.minerId, { ok: false, latencyMs: performance.now() - started });
      if (error instanceof MinerUnreachableError && error.timedOut) timedOut++;
      failures.push(`${candidate.minerId}: ${(error as Error).message}`);
      continue;
    }
    const latencyMs = performance.now() - started;
    if (isSuccess(reply.status) || isClientError(reply.status)) {
      deps.routing.finished(candidate.minerId, { ok: true, latencyMs });
      return { reply, candidate, release };
    }
    release();
    deps.routing.finished(candidate.minerId, { ok: false, latencyMs });
    failures.push(`${candidate.minerId}: HTTP ${reply.status}`);
  }
  deps.logger.warn("no miner could serve the request", { requestId: call.requestId, model: call.model, failures });
  if (reservedElsewhere > 0 && reservedElsewhere === failures.length) throw reservedInFlight(worstCase(call, candidates[0]!));
  const why = timedOut === failures.length && timedOut > 0 ? "timed out" : "failed";
  throw new DomainError("upstream_failed", `Every miner serving '${call.model}' ${why} (${failures.length} tried). Retry shortly.`, null, { retryAfterSeconds: 1 });
}

/** The tinybars a request can cost at most on a candidate (0 when it has no bound). */
function worstCase(call: InferenceCall, candidate: Candidate): bigint {
  const units = boundFor(call.maxUnits, candidate.model);
  return units === undefined ? 0n : BigInt(Math.ceil(units)) * candidate.pricePerUnit;
}

/** The candidates whose worst-case cost for this request the account can pay; 402 when there are none. */
function affordable(call: InferenceCall, candidates: Candidate[], available: bigint, reserved: bigint): Candidate[] {
  const payable = candidates.filter((candidate) => worstCase(call, candidate) <= available);
  if (payable.length > 0) return payable;
  const cheapest = candidates.map((candidate) => worstCase(call, candidate)).reduce((a, b) => (b < a ? b : a));
  if (cheapest <= available + reserved) throw reservedInFlight(cheapest);
  throw new DomainError("payment_required", `This request may cost up to ${cheapest} tinybars at the cheapest miner serving '${call.model}', more than the ${available} tinybars your account can spend. Lower max_tokens or deposit HBAR to the treasury.`);
}

async function candidatesFor(deps: Pick<InferenceDeps, "routing">, operation: OperationName, model: string): Promise<Candidate[]> {
  const all = await deps.routing.candidates(model);
  const modalities: readonly string[] = OPERATIONS[operation].modalities;
  const suitable = all.filter((c) => modalities.includes(c.model.modality));
  if (suitable.length > 0) return suitable;
  if (all.length > 0) {
    throw new DomainError("invalid_request", `The model '${model}' is a ${all[0]!.model.modality} model; it cannot serve ${operation}. GET /v1/models lists each model's modality.`, "model");
  }
  if (await deps.routing.knows(model)) {
    throw new DomainError("unavailable", `No healthy miner serves '${model}' right now. Retry shortly.`, "model", { retryAfterSeconds: 5 });
  }
  throw new DomainError("not_found", `The model '${model}' does not exist or no miner serves it. GET /v1/models lists the models.`, "model");
}

const isSuccess = (status: number) => status >= 200 && status < 300;
/** Statuses where the miner judged the request itself: another miner would answer the same. */
const isClientError = (status: number) => status === 400 || status === 413 || status === 415 || status === 422;

/** Units from a miner's JSON reply: tokens for text, seconds for transcriptions. */
export function unitsFromReply(operation: OperationName, body: Uint8Array): number | undefined {
  let parsed: { usage?: { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown; seconds?: unknown }; duration?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  // Fix: a reply of JSON `null` made `parsed.usage` throw a TypeError after the miner had served.
  if (parsed === null || typeof parsed !== "object") return undefined;
  if (operation === "audio.transcriptions") return whole(parsed.usage?.seconds) ?? whole(parsed.duration);
  return tokensFromUsage(parsed.usage);
}

// Fix: counts past 2^53 made `costOf` throw a RangeError (a 500 for work already done).
const whole = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 && Math.ceil(value) <= Number.MAX_SAFE_INTEGER ? Math.ceil(value) : undefined);

/** Whole tokens from an OpenAI `usage` object (a reply's or a stream's last chunk), or undefined when it has no usable count. */
function tokensFromUsage(usage: { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined): number | undefined {
  if (usage === null || typeof usage !== "object") return undefined;
  const total = whole(usage.total_tokens);
  if (total !== undefined) return total;
  const prompt = whole(usage.prompt_tokens);
  const completion = whole(usage.completion_tokens);
  // Fix: a reply with no count at all is "no usage" (which `infer` logs), not a silent 0.
  if (prompt === undefined && completion === undefined) return undefined;
  const sum = (prompt ?? 0) + (completion ?? 0);
  return Number.isSafeInteger(sum) ? sum : undefined;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}
