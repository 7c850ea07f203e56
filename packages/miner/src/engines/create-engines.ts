import type { MinerConfig } from "../config.js";
import { EmbeddingsEngine } from "./embeddings-engine.js";
import { LlamaCppEngine } from "./llama-cpp-engine.js";
import type { EngineSet } from "./registry.js";

/** The engines a config asks for (not loaded yet); a disabled modality is left out. */
export function createEngines(config: MinerConfig): EngineSet {
  const { llm, embeddings } = config;
  return {
    ...(llm.enabled && {
      llm: new LlamaCppEngine({ modelPath: llm.modelPath, ...(llm.modelId && { modelId: llm.modelId }), chatFormat: llm.chatFormat, contextSize: llm.contextSize, threads: llm.threads, concurrency: llm.concurrency }),
    }),
    ...(embeddings.enabled && { embeddings: new EmbeddingsEngine({ modelId: embeddings.modelId }) }),
  };
}
