import type { GenerationParams } from "../engines/engine.js";
import { HttpError } from "./errors.js";
import type { MinerContext } from "./context.js";
import type { GenerationRequest } from "./schemas.js";

/** OpenAI's default for legacy `/v1/completions`. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

/**
 * Sampling parameters from an OpenAI request. `max_tokens` (or `max_completion_tokens`) above
 * `limits.maxTokens` is a 400, as OpenAI answers a value above a model's limit; left out, chat
 * uses the cap and legacy completions OpenAI's 16. Defaults follow OpenAI: temperature 1, top_p 1.
 */
export function generationParams(ctx: MinerContext, body: GenerationRequest, defaultMaxTokens: number): Omit<GenerationParams, "signal" | "onText"> {
  const cap = ctx.config.limits.maxTokens;
  const requested = ("max_completion_tokens" in body ? body.max_completion_tokens : undefined) ?? body.max_tokens;
  if (requested != null && requested > cap) {
    const param = "max_completion_tokens" in body && body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
    throw new HttpError(400, `${param} is too large: ${requested}. This miner generates at most ${cap} tokens per request.`, "max_tokens_exceeded", param);
  }
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  return {
    maxTokens: requested ?? Math.min(defaultMaxTokens, cap),
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    ...(body.seed != null && { seed: body.seed }),
    stop: stop.filter((s) => s !== ""),
    frequencyPenalty: body.frequency_penalty ?? 0,
    presencePenalty: body.presence_penalty ?? 0,
  };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The OpenAI `usage` of a generation, or null when the engine could not count it (see `GenerationResult`). */
export const usageOf = (r: { promptTokens?: number; completionTokens?: number }): Usage | null =>
  r.promptTokens === undefined || r.completionTokens === undefined
    ? null
    : { prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, total_tokens: r.promptTokens + r.completionTokens };
