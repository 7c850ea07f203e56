/**
 * What the HTTP layer needs from an engine. Each engine loads once at startup and either serves
 * its models or stays off with a reason an operator can act on (e.g. the missing file's path).
 */
export type Modality = "llm" | "embeddings" | "stt" | "tts" | "translation" | "vision";

export type LoadResult = { ok: true } | { ok: false; reason: string };

export interface Engine {
  readonly modality: Modality;
  /** Model ids this engine serves once loaded (known even when it is off). */
  readonly modelIds: readonly string[];
  /** Never throws: a failure is reported as `{ ok: false, reason }`. */
  load(): Promise<LoadResult>;
  close(): Promise<void>;
  /** Extra fields for this engine's entries in `/v1/models` (voices, language pairs, ...). */
  details?(): Record<string, unknown>;
}

/**
 * The request's input cannot be processed (undecodable audio, corrupt image, unknown voice...):
 * the caller's fault, answered 400 with `code` and `param`. Engines throw it; the HTTP edge maps it.
 */
export class EngineInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "EngineInputError";
  }
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
  /**
   * Tokens the model evaluated for the prompt (BOS and chat template included) and generated. Left
   * out when the engine cannot know them (an upstream server that reports no usage): the reply then
   * says `usage: null` and the gateway counts the tokens itself, rather than the miner billing 0.
   */
  promptTokens?: number;
  completionTokens?: number;
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

export interface Transcription {
  text: string;
  /** Length of the decoded audio in seconds (from the converted WAV's header). */
  durationSeconds: number;
  language: string;
}

export interface SpeechToTextEngine extends Engine {
  readonly modality: "stt";
  readonly languages: readonly string[];
  /** `fileName` only hints the container format; audio longer than `maxSeconds` is refused. */
  transcribe(audio: Uint8Array, options: { maxSeconds: number; fileName?: string }): Promise<Transcription>;
}

export interface SpeechOptions {
  voice: string;
  /** 0.25 to 4; 1 is the voice's own pace. */
  speed: number;
}

export interface TextToSpeechEngine extends Engine {
  readonly modality: "tts";
  readonly voices: readonly string[];
  /** A RIFF WAV (16-bit PCM, mono). */
  synthesize(text: string, options: SpeechOptions): Promise<Buffer>;
}

export interface TranslationEngine extends Engine {
  readonly modality: "translation";
  /** `source-target` with ISO 639-1 codes where they exist, e.g. `en-es`. Known once loaded. */
  readonly pairs: readonly string[];
  translate(text: string, source: string, target: string): Promise<string>;
}

export type VisionTask = "text" | "objects";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VisionAnalysis {
  text?: Array<{ text: string; confidence: number; box: Box }>;
  objects?: Array<{ label: string; score: number; box: Box }>;
  width: number;
  height: number;
}

export interface VisionEngine extends Engine {
  readonly modality: "vision";
  /** Why each task is unavailable, or null when it is ready. */
  readonly taskReasons: Readonly<Record<VisionTask, string | null>>;
  /** PNG, JPEG, WebP or GIF bytes. */
  analyze(image: Buffer, tasks: readonly VisionTask[]): Promise<VisionAnalysis>;
}
