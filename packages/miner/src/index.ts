/**
 * @module @tensornode/miner
 * The reference miner: `createMinerApp` (Hono, OpenAI wire format) over engines loaded with
 * `loadEngines`, and `startMiner` to serve it on Node.
 */
export { createMinerApp, type MinerApp, type MinerAppOptions } from "./app.js";
export { startMiner, type RunningMiner, type StartMinerOptions } from "./server.js";
export { DEFAULT_CONFIG, DEFAULT_GGUF_PATH, resolveConfig, type MinerConfig, type MinerConfigInput, type Price } from "./config.js";
export type { ChatMessage, EmbeddingEngine, Engine, GenerationParams, GenerationResult, LoadResult, Modality, TextGenerationEngine } from "./engines/engine.js";
export { LlamaCppEngine, type LlamaCppEngineOptions } from "./engines/llama-cpp-engine.js";
export { EmbeddingsEngine } from "./engines/embeddings-engine.js";
export { createEngines } from "./engines/create-engines.js";
export { closeEngines, loadEngines, readyModalities, type EngineRegistry, type EngineSet, type EngineState } from "./engines/registry.js";
export { errorBody, HttpError, type OpenAiErrorBody } from "./http/errors.js";
export { dispatchAuthorizer } from "./dispatch-auth.js";
