/**
 * @module @tensornode/miner
 * The reference miner: `createMinerApp` (Hono, OpenAI wire format) over engines loaded with
 * `loadEngines`, and `startMiner` to serve it on Node.
 */
export { createMinerApp, type MinerApp, type MinerAppOptions } from "./app.js";
export { startMiner, type RunningMiner, type StartMinerOptions } from "./server.js";
export { DEFAULT_CONFIG, DEFAULT_GGUF_PATH, resolveConfig, type MinerConfig, type MinerConfigInput, type Price, type PriceUnit, type UpstreamLlmConfig } from "./config.js";
export type {
  ChatMessage,
  EmbeddingEngine,
  Engine,
  GenerationParams,
  GenerationResult,
  LoadResult,
  Modality,
  SpeechToTextEngine,
  TextGenerationEngine,
  TextToSpeechEngine,
  TranslationEngine,
  VisionAnalysis,
  VisionEngine,
  VisionTask,
} from "./engines/engine.js";
export { EngineInputError } from "./engines/engine.js";
export { PocketsphinxEngine } from "./engines/pocketsphinx-engine.js";
export { FliteEngine } from "./engines/flite-engine.js";
export { ApertiumEngine } from "./engines/apertium-engine.js";
export { TensornodeVisionEngine } from "./engines/vision-engine.js";
export { LlamaCppEngine, type LlamaCppEngineOptions } from "./engines/llama-cpp-engine.js";
export { EmbeddingsEngine } from "./engines/embeddings-engine.js";
export { UpstreamLlmEngine, type UpstreamLlmEngineOptions } from "./engines/upstream-llm-engine.js";
export { createEngines } from "./engines/create-engines.js";
export { closeEngines, loadEngines, MODALITIES, readyModalities, type EngineByModality, type EngineRegistry, type EngineSet, type EngineState } from "./engines/registry.js";
export { errorBody, HttpError, type OpenAiErrorBody } from "./http/errors.js";
export { dispatchAuthorizer } from "./dispatch-auth.js";
