import type { Logger } from "@tensornode/core";
import type { EmbeddingEngine, Engine, Modality, SpeechToTextEngine, TextGenerationEngine, TextToSpeechEngine, TranslationEngine, VisionEngine } from "./engine.js";

export interface EngineState<E extends Engine = Engine> {
  engine: E;
  status: "ready" | "off";
  reason?: string;
  loadMs: number;
}

/** The engine type that serves each modality. */
export interface EngineByModality {
  llm: TextGenerationEngine;
  embeddings: EmbeddingEngine;
  stt: SpeechToTextEngine;
  tts: TextToSpeechEngine;
  translation: TranslationEngine;
  vision: VisionEngine;
}

/** Engines before loading; a modality left out is off ("disabled in the miner configuration"). */
export type EngineSet = { [M in Modality]?: EngineByModality[M] };

/** The engines after loading: which modalities are served, and why the others are off. */
export type EngineRegistry = { [M in Modality]?: EngineState<EngineByModality[M]> };

export const MODALITIES: readonly Modality[] = ["llm", "embeddings", "stt", "tts", "translation", "vision"];

/** Loads every engine at once; one failing (or throwing) leaves only that modality off. */
export async function loadEngines(engines: EngineSet, logger?: Logger): Promise<EngineRegistry> {
  const load = async (engine: Engine): Promise<EngineState> => {
    const started = performance.now();
    const result = await engine.load().catch((error: unknown) => ({ ok: false as const, reason: `load failed: ${(error as Error).message}` }));
    const loadMs = Math.round(performance.now() - started);
    if (result.ok) {
      logger?.info("engine ready", { modality: engine.modality, models: engine.modelIds, loadMs });
      return { engine, status: "ready", loadMs };
    }
    logger?.warn("engine off", { modality: engine.modality, reason: result.reason });
    return { engine, status: "off", reason: result.reason, loadMs };
  };
  const states = await Promise.all(MODALITIES.map(async (m) => [m, engines[m] && (await load(engines[m]))] as const));
  return Object.fromEntries(states.filter(([, state]) => state)) as EngineRegistry;
}

export const readyModalities = (registry: EngineRegistry): Modality[] => MODALITIES.filter((m) => registry[m]?.status === "ready");

export async function closeEngines(registry: EngineRegistry): Promise<void> {
  await Promise.all(MODALITIES.map((m) => registry[m]?.engine.close()));
}
