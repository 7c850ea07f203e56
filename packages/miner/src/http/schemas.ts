import { z } from "zod";

/**
 * Request bodies of the OpenAI endpoints the miner serves. Unknown fields are ignored, as OpenAI
 * SDKs send many optional ones; fields the miner cannot honour are refused with a 400 naming them.
 */

const textPart = z.object({ type: z.literal("text"), text: z.string() });
/** OpenAI's image part; only the vision model can read it (the URL must be a base64 data URL). */
const imagePart = z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string().min(1), detail: z.string().optional() }) });

const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant"], { error: "role must be system, developer, user or assistant" }),
  content: z
    .union([z.string(), z.array(z.union([textPart, imagePart]))], { error: "content must be a string or an array of text and image_url parts (audio and file parts are not supported by this miner)" })
    .nullish(),
  name: z.string().optional(),
});

const stop = z.union([z.string(), z.array(z.string()).max(4)]).nullish();

/** Sampling and streaming fields shared by chat and legacy completions. */
const generation = {
  model: z.string().min(1),
  max_tokens: z.int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1, { error: "only n=1 is supported" }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  stop,
  seed: z.int().nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  logprobs: z.union([z.literal(false), z.null()], { error: "logprobs are not supported" }).optional(),
  user: z.string().optional(),
};

export const chatCompletionRequest = z.object({
  ...generation,
  messages: z.array(message).min(1, { error: "messages must hold at least one message" }),
  max_completion_tokens: z.int().min(1).nullish(),
  tools: z.array(z.unknown()).max(0, { error: "tools are not supported by this miner" }).nullish(),
});

export const completionRequest = z.object({
  ...generation,
  prompt: z.union([z.string(), z.array(z.string()).length(1, { error: "prompt must be a string (or an array of exactly one string)" })]),
  echo: z.literal(false, { error: "echo is not supported" }).nullish(),
  suffix: z.null({ error: "suffix is not supported" }).optional(),
  best_of: z.literal(1, { error: "only best_of=1 is supported" }).nullish(),
});

export const embeddingRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1, { error: "input must hold at least one string" })], {
    error: "input must be a string or an array of strings (token arrays are not supported)",
  }),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.int().min(1).nullish(),
  user: z.string().optional(),
});

export const speechRequest = z.object({
  model: z.string().min(1),
  input: z.string().min(1, { error: "input must not be empty" }),
  voice: z.string().min(1).nullish(),
  response_format: z.string().nullish(),
  speed: z.number().min(0.25).max(4).nullish(),
  instructions: z.string().nullish(),
});

export const translationRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1, { error: "input must hold at least one string" })], { error: "input must be a string or an array of strings" }),
  source_language: z.string().min(2),
  target_language: z.string().min(2),
});

export const visionRequest = z.object({
  model: z.string().min(1),
  image: z.string().min(1, { error: "image must be a base64 data URL or base64 string" }),
  tasks: z.array(z.enum(["text", "objects"], { error: "tasks are 'text' and 'objects'" })).min(1).nullish(),
});

export type ChatCompletionRequest = z.output<typeof chatCompletionRequest>;
export type CompletionRequest = z.output<typeof completionRequest>;
export type EmbeddingRequest = z.output<typeof embeddingRequest>;
export type GenerationRequest = ChatCompletionRequest | CompletionRequest;
export type SpeechRequest = z.output<typeof speechRequest>;
export type TranslationRequest = z.output<typeof translationRequest>;
export type VisionRequest = z.output<typeof visionRequest>;
