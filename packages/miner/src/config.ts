import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Price of one unit of work, in tinybars (integer string, as the ledger counts). */
export interface Price {
  /** What one unit is: a token for both the LLM and the embeddings model. */
  unit: "token";
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
}

export interface EmbeddingsConfig {
  enabled: boolean;
  modelId: string;
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
    limits: { ...DEFAULT_CONFIG.limits, ...input.limits },
  };
}
