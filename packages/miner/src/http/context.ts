import type { Logger } from "@tensornode/core";
import type { MinerConfig } from "../config.js";
import type { Engine, Modality } from "../engines/engine.js";
import type { EngineRegistry } from "../engines/registry.js";
import { HttpError } from "./errors.js";
import { ConcurrencyLimiter } from "./limiter.js";

/** Everything the routes share: engines, limits, admission control. Built once per app. */
export interface MinerContext {
  registry: EngineRegistry;
  config: MinerConfig;
  limiters: Record<Modality, ConcurrencyLimiter>;
  /** Unix seconds; the `created` of every listed model. */
  startedAt: number;
  logger: Logger;
}

export function createLimiters(config: MinerConfig): Record<Modality, ConcurrencyLimiter> {
  const retry = config.limits.retryAfterSeconds;
  return {
    llm: new ConcurrencyLimiter("LLM", config.llm.concurrency, config.llm.maxQueue, retry),
    embeddings: new ConcurrencyLimiter("embeddings", config.embeddings.concurrency, config.embeddings.maxQueue, retry),
    stt: new ConcurrencyLimiter("speech-to-text", config.stt.concurrency, config.stt.maxQueue, retry),
    tts: new ConcurrencyLimiter("text-to-speech", config.tts.concurrency, config.tts.maxQueue, retry),
    translation: new ConcurrencyLimiter("translation", config.translation.concurrency, config.translation.maxQueue, retry),
    vision: new ConcurrencyLimiter("vision", config.vision.concurrency, config.vision.maxQueue, retry),
  };
}

/**
 * The engine that serves `model` for this modality: 503 with the reason when the modality is off,
 * 404 `model_not_found` when the engine does not serve that model id.
 */
export function requireEngine<M extends Modality>(ctx: MinerContext, modality: M, model: string): NonNullable<EngineRegistry[M]>["engine"] {
  const state = ctx.registry[modality];
  if (!state || state.status !== "ready") {
    const reason = state?.reason ?? "disabled in the miner configuration";
    throw new HttpError(503, `This miner's ${modality} engine is off: ${reason}`, "engine_unavailable", null, { "retry-after": String(ctx.config.limits.retryAfterSeconds) });
  }
  const engine: Engine = state.engine;
  if (!engine.modelIds.includes(model)) {
    throw new HttpError(404, `The model '${model}' does not exist on this miner for ${modality}; available: ${engine.modelIds.join(", ")}.`, "model_not_found", "model");
  }
  return state.engine as NonNullable<EngineRegistry[M]>["engine"];
}

/** 400 when the request's text is longer than `limits.maxInputChars`. */
export function assertInputChars(ctx: MinerContext, chars: number, param: string): void {
  const max = ctx.config.limits.maxInputChars;
  if (chars > max) throw new HttpError(400, `The input is ${chars} characters; this miner accepts at most ${max} per request.`, "input_too_long", param);
}

/**
 * A request's `input` (a string or strings) as a list of at most `maxInputs` strings (400
 * `too_many_inputs` past that) whose characters together pass `assertInputChars`.
 */
export function inputStrings(ctx: MinerContext, input: string | string[], maxInputs: number, verb: string): string[] {
  const inputs = typeof input === "string" ? [input] : input;
  if (inputs.length > maxInputs) throw new HttpError(400, `input holds ${inputs.length} strings; this miner ${verb} at most ${maxInputs} per request.`, "too_many_inputs", "input");
  assertInputChars(ctx, inputs.reduce((sum, s) => sum + s.length, 0), "input");
  return inputs;
}

/** Runs `work` holding one of the modality's slots (429 when the engine is saturated). */
export async function withSlot<T>(ctx: MinerContext, modality: Modality, work: () => Promise<T>): Promise<T> {
  const release = await ctx.limiters[modality].acquire();
  try {
    return await work();
  } finally {
    release();
  }
}
