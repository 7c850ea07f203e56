/**
 * What the HTTP layer needs from an engine. Each engine loads once at startup and either serves
 * its models or stays off with a reason an operator can act on (e.g. the missing file's path).
 */
export type Modality = "llm" | "embeddings";

export type LoadResult = { ok: true } | { ok: false; reason: string };

export interface Engine {
  readonly modality: Modality;
  /** Model ids this engine serves once loaded (known even when it is off). */
  readonly modelIds: readonly string[];
  /** Never throws: a failure is reported as `{ ok: false, reason }`. */
  load(): Promise<LoadResult>;
  close(): Promise<void>;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface GenerationParams {
  /** Upper bound; the engine may stop earlier at the end of its context window. */
  maxTokens: number;
  temperature: number;
  topP: number;
  seed?: number;
  stop: string[];
  frequencyPenalty: number;
  presencePenalty: number;
  /** Aborting stops the generation and returns what was produced so far. */
  signal?: AbortSignal;
  /** Receives the text as it is generated; the pieces concatenate to the final `text`. */
  onText?: (delta: string) => void;
}

export interface GenerationResult {
  text: string;
  /** Tokens the model evaluated for the prompt (BOS and chat template included). */
  promptTokens: number;
  completionTokens: number;
  finishReason: "stop" | "length";
}

export interface TextGenerationEngine extends Engine {
  readonly modality: "llm";
  /** Raw text continuation. */
  complete(prompt: string, params: GenerationParams): Promise<GenerationResult>;
  /** Messages rendered with the model's chat template, then continued. */
  chat(messages: ChatMessage[], params: GenerationParams): Promise<GenerationResult>;
  /** Context window in tokens (per request), for `/v1/models`. */
  readonly contextSize: number;
}

export interface EmbeddingResult {
  vectors: number[][];
  /** Tokens the model's own tokenizer produced for all inputs. */
  promptTokens: number;
}

export interface EmbeddingEngine extends Engine {
  readonly modality: "embeddings";
  readonly dimensions: number;
  embed(inputs: string[]): Promise<EmbeddingResult>;
}
