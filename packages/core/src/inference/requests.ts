import { z } from "zod";
import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { MinerModel, Modality } from "../miners/miner.js";
import type { OperationName } from "./operations.js";
import { wavDurationSeconds } from "./wav.js";

/**
 * The request bodies of the inference operations, in the OpenAI wire format. These schemas
 * validate every request (HTTP and jobs) and generate the OpenAPI document, so the two cannot
 * disagree. Objects are loose: OpenAI clients send parameters we do not list (e.g. `user`), and
 * the serving miner, which knows its engine, decides about them.
 */
const model = z.string().min(1).max(256).describe("A model id from GET /v1/models.");

const contentPart = z.union([
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  z.looseObject({ type: z.literal("image_url"), image_url: z.looseObject({ url: z.string().max(15_000_000).describe("A data URL (data:image/png;base64,...)."), detail: z.string().optional() }) }),
]);

export const chatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(contentPart).max(64), z.null()]),
  name: z.string().max(64).optional(),
});

export const chatCompletionRequestSchema = z
  .looseObject({
    model,
    messages: z.array(chatMessageSchema).min(1).max(1_000),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: z.int().min(1).nullish(),
    max_completion_tokens: z.int().min(1).nullish(),
    n: z.int().min(1).max(128).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    seed: z.int().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  })
  .describe("An OpenAI chat completion request. Images go in `image_url` content parts (vision models).");

export const embeddingsRequestSchema = z.looseObject({
  model,
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2_048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.int().min(1).optional(),
});

export const speechRequestSchema = z.looseObject({
  model,
  input: z.string().min(1).max(4_096),
  voice: z.string().min(1).max(64).optional(),
  response_format: z.string().max(16).optional(),
  speed: z.number().min(0.25).max(4).optional(),
});

export const translationRequestSchema = z.strictObject({
  model,
  input: z.union([z.string().min(1).max(20_000), z.array(z.string().min(1).max(20_000)).min(1).max(128)]),
  source_language: z.string().min(2).max(16).describe("ISO 639 code, e.g. `en`."),
  target_language: z.string().min(2).max(16).describe("ISO 639 code, e.g. `es`."),
});

export const visionAnalyzeRequestSchema = z.strictObject({
  model,
  image: z.string().min(1).max(15_000_000).describe("The image as a data URL or plain base64 (PNG or JPEG)."),
  tasks: z.array(z.enum(["text", "objects"])).min(1).max(2).optional().describe("What to extract; both by default."),
});

/** A transcription as a job: the audio travels base64-encoded inside the JSON job input. */
export const transcriptionJobSchema = z.strictObject({
  model,
  file: z.string().min(1).describe("The audio file, base64."),
  filename: z.string().max(256).optional(),
  language: z.string().max(16).optional(),
  response_format: z.enum(["json", "text", "verbose_json"]).optional(),
  prompt: z.string().max(4_000).optional(),
  temperature: z.number().min(0).max(1).optional(),
});

/** The multipart fields of `POST /v1/audio/transcriptions`, for the OpenAPI document. */
export const transcriptionFormSchema = transcriptionJobSchema.extend({ file: z.string().describe("The audio file (binary part).") });

export const JSON_REQUEST_SCHEMAS = {
  "chat.completions": chatCompletionRequestSchema,
  embeddings: embeddingsRequestSchema,
  "audio.speech": speechRequestSchema,
  translations: translationRequestSchema,
  "vision.analyze": visionAnalyzeRequestSchema,
} as const;

const characters = (text: string) => [...text].length;

/**
 * What the gateway can count from a request itself, at the serving miner's price: characters for
 * speech and translation, one image per analysis. Tokens and audio length come from elsewhere.
 */
export function unitsFromRequest(operation: OperationName, request: Record<string, unknown>): number | undefined {
  if (operation === "audio.speech") return characters(String(request.input));
  if (operation === "translations") return ([] as string[]).concat(request.input as string | string[]).reduce((n, text) => n + characters(text), 0);
  if (operation === "vision.analyze") return 1;
  return undefined;
}

/** How many images a chat request carries (`image_url` content parts): what a vision model bills. */
export function chatImageCount(request: object): number {
  let count = 0;
  for (const message of ((request as { messages?: unknown }).messages as Array<{ content?: unknown }> | undefined) ?? []) {
    if (Array.isArray(message.content)) count += message.content.filter((part: { type?: unknown }) => part?.type === "image_url").length;
  }
  return count;
}

/** Per-modality units of a chat request: images for a vision model, reported tokens otherwise. */
export const chatUnits = (request: object) => (modality: string) => (modality === "vision" ? Math.max(1, chatImageCount(request)) : undefined);

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * Tokens a model adds around each chat message or embedding input (role markers, separators,
 * begin/end tokens), which the text's bytes do not count.
 */
export const OVERHEAD_TOKENS_PER_TEXT = 8;
/** What a chat template may add once per request: a default system prompt (Llama 3's date block, Qwen's). */
export const OVERHEAD_TOKENS_PER_CHAT = 64;
/**
 * The completion a chat may run to when the request sets no `max_tokens` and the serving model
 * declares no context length: the bound the request is checked and billed against.
 */
export const DEFAULT_COMPLETION_BOUND_TOKENS = 4_096;

/** A request's bound, fixed or per serving model (a chat's depends on the model's modality and context). */
export type UnitBound = number | ((model: Pick<MinerModel, "modality" | "contextLength" | "maxCompletionTokens">) => number | undefined);

/**
 * An upper bound of what a request can cost, in its serving model's units. A prompt has at most one
 * token per UTF-8 byte (byte-level tokenizers) of everything a template renders into it: message
 * text, tool calls and names (counted as their JSON), tool and response-format definitions, plus
 * `OVERHEAD_TOKENS_PER_TEXT` per message and `OVERHEAD_TOKENS_PER_CHAT` once. A completion has at
 * most the larger of `max_tokens` and `max_completion_tokens` (engines read one or the other), or
 * else the longest completion the serving miner declares, or else the model's context
 * (`DEFAULT_COMPLETION_BOUND_TOKENS` when it declares neither), times `n` choices. A vision model
 * reading a chat's images bills per image, exactly.
 * The gateway refuses a request whose bound the account cannot pay, and never bills more than it,
 * whatever a miner reports.
 */
export function maxUnitsOf(operation: OperationName, request: Record<string, unknown>): UnitBound | undefined {
  if (operation === "chat.completions") {
    const limits = [request.max_tokens, request.max_completion_tokens].filter((v): v is number => typeof v === "number");
    const completion = limits.length > 0 ? Math.max(...limits) : undefined;
    const choices = typeof request.n === "number" && request.n >= 1 ? request.n : 1;
    const messages = (request.messages as Array<Record<string, unknown>> | undefined) ?? [];
    let prompt = OVERHEAD_TOKENS_PER_CHAT + jsonBytes(request.tools) + jsonBytes(request.functions) + jsonBytes(request.tool_choice) + jsonBytes(request.response_format);
    for (const { content, ...rest } of messages) {
      prompt += OVERHEAD_TOKENS_PER_TEXT + jsonBytes(rest);
      if (typeof content === "string") prompt += utf8Bytes(content);
      else if (Array.isArray(content)) for (const part of content as Array<{ text?: unknown }>) prompt += typeof part?.text === "string" ? utf8Bytes(part.text) : 0;
    }
    return (model) => {
      if (model.modality === "vision") return Math.max(1, chatImageCount(request));
      // Without a limit in the request, the miner's own: the longest completion it generates, else its context.
      // The context is not taken as a cap of the whole: not every engine enforces the one it advertises.
      return prompt + choices * (completion ?? model.maxCompletionTokens ?? model.contextLength ?? DEFAULT_COMPLETION_BOUND_TOKENS);
    };
  }
  // An input of token ids counts its ids; one list of ids spreads into one id per input here, 8 tokens each.
  if (operation === "embeddings") return ([] as unknown[]).concat(request.input).reduce((n: number, input) => n + OVERHEAD_TOKENS_PER_TEXT + (typeof input === "string" ? utf8Bytes(input) : Array.isArray(input) ? input.length : 0), 0);
  return unitsFromRequest(operation, request);
}

const jsonBytes = (value: unknown) => (value === undefined || value === null ? 0 : utf8Bytes(JSON.stringify(value)));

/** The bound for one serving model, or undefined when the request has none. */
export function boundFor(bound: UnitBound | undefined, model: Pick<MinerModel, "modality" | "contextLength" | "maxCompletionTokens">): number | undefined {
  return typeof bound === "function" ? bound(model) : bound;
}

/** Audio seconds of an uploaded file, rounded up, when it is a WAV the gateway can read. */
export function audioSeconds(file: Uint8Array): number | undefined {
  const seconds = wavDurationSeconds(file);
  return seconds === null ? undefined : Math.max(1, Math.ceil(seconds));
}

/** An encoded request ready to forward: the bytes, their type, and what it is billed on. */
export interface EncodedRequest {
  model: string;
  body: Uint8Array;
  contentType: string;
  requestUnits?: number | ((modality: Modality) => number | undefined);
  maxUnits?: UnitBound;
}

/** Validates a job's input for an operation and encodes it as the miner expects it. */
export async function encodeJobInput(operation: OperationName, input: unknown): Promise<EncodedRequest> {
  if (operation === "audio.transcriptions") {
    const request = parseInput(transcriptionJobSchema, input);
    const audio = Buffer.from(request.file, "base64");
    if (audio.length === 0) throw new DomainError("invalid_request", "'input.file' must be base64 audio.", "input.file");
    const form = new FormData();
    form.set("file", new Blob([audio]), request.filename ?? "audio.wav");
    form.set("model", request.model);
    for (const field of ["language", "response_format", "prompt", "temperature"] as const) {
      if (request[field] !== undefined) form.set(field, String(request[field]));
    }
    const encoded = new Request("http://local/", { method: "POST", body: form });
    const seconds = audioSeconds(audio);
    return {
      model: request.model,
      body: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get("content-type")!,
      ...(seconds !== undefined && { requestUnits: seconds, maxUnits: seconds }),
    };
  }
  const request = parseInput(JSON_REQUEST_SCHEMAS[operation], input) as Record<string, unknown> & { model: string };
  if (operation === "chat.completions" && request.stream) throw new DomainError("invalid_request", "Jobs cannot stream; leave out 'stream' (stream over WebSocket or SSE instead).", "input.stream");
  const units = operation === "chat.completions" ? chatUnits(request) : unitsFromRequest(operation, request);
  const maxUnits = maxUnitsOf(operation, request);
  return {
    model: request.model,
    body: new TextEncoder().encode(JSON.stringify(request)),
    contentType: "application/json",
    ...(units !== undefined && { requestUnits: units }),
    ...(maxUnits !== undefined && { maxUnits }),
  };
}
