import { UPSTREAM_DEFAULTS, type MinerConfig } from "../config.js";
import { ApertiumEngine } from "./apertium-engine.js";
import { EmbeddingsEngine } from "./embeddings-engine.js";
import { FliteEngine } from "./flite-engine.js";
import { LlamaCppEngine } from "./llama-cpp-engine.js";
import { PocketsphinxEngine } from "./pocketsphinx-engine.js";
import type { EngineSet } from "./registry.js";
import { UpstreamLlmEngine } from "./upstream-llm-engine.js";
import { TensornodeVisionEngine } from "./vision-engine.js";

/** The engines a config asks for (not loaded yet); a disabled modality is left out. `llm.upstream` swaps node-llama-cpp for an upstream server. */
export function createEngines(config: MinerConfig): EngineSet {
  const { llm, embeddings, stt, tts, translation, vision } = config;
  return {
    ...(llm.enabled && {
      llm: llm.upstream
        ? new UpstreamLlmEngine({
            baseUrl: llm.upstream.baseUrl,
            ...(llm.upstream.apiKey && { apiKey: llm.upstream.apiKey }),
            ...(llm.modelId && { modelId: llm.modelId }),
            ...(llm.upstream.model && { upstreamModel: llm.upstream.model }),
            contextSize: llm.upstream.contextSize ?? UPSTREAM_DEFAULTS.contextSize,
            timeoutMs: llm.upstream.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs,
          })
        : new LlamaCppEngine({ modelPath: llm.modelPath, ...(llm.modelId && { modelId: llm.modelId }), chatFormat: llm.chatFormat, contextSize: llm.contextSize, threads: llm.threads, concurrency: llm.concurrency }),
    }),
    ...(embeddings.enabled && { embeddings: new EmbeddingsEngine({ modelId: embeddings.modelId }) }),
    ...(stt.enabled && { stt: new PocketsphinxEngine({ modelId: stt.modelId, pocketsphinxPath: stt.pocketsphinxPath, soxPath: stt.soxPath, timeoutMs: stt.timeoutMs }) }),
    ...(tts.enabled && { tts: new FliteEngine({ modelId: tts.modelId, flitePath: tts.flitePath, wasiFallback: tts.wasiFallback, defaultVoice: tts.defaultVoice, timeoutMs: tts.timeoutMs }) }),
    ...(translation.enabled && { translation: new ApertiumEngine({ modelId: translation.modelId, apertiumPath: translation.apertiumPath, pairs: translation.pairs, timeoutMs: translation.timeoutMs }) }),
    ...(vision.enabled && {
      vision: new TensornodeVisionEngine({
        modelId: vision.modelId,
        ocr: vision.ocr,
        objects: vision.objects,
        minObjectScore: vision.minObjectScore,
        maxImagePixels: vision.maxImagePixels,
        ocrMaxSide: vision.ocrMaxSide,
      }),
    }),
  };
}
