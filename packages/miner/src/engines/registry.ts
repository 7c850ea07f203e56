import type { Logger } from "@tensornode/core";
import type { EmbeddingEngine, Engine, Modality, TextGenerationEngine } from "./engine.js";

export interface EngineState<E extends Engine = Engine> {
  engine: E;
  status: "ready" | "off";
  reason?: string;
  loadMs: number;
}

export interface EngineSet {
  llm?: TextGenerationEngine;
  embeddings?: EmbeddingEngine;
}

/** The engines after loading: which modalities are served, and why the others are off. */
export interface EngineRegistry {
  llm?: EngineState<TextGenerationEngine>;
  embeddings?: EngineState<EmbeddingEngine>;
}

export const MODALITIES: readonly Modality[] = ["llm", "embeddings"];

/** Loads every engine at once; one failing (or throwing) leaves only that modality off. */
export async function loadEngines(engines: EngineSet, logger?: Logger): Promise<EngineRegistry> {
  const load = async <E extends Engine>(engine: E): Promise<EngineState<E>> => {
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
  const [llm, embeddings] = await Promise.all([engines.llm && load(engines.llm), engines.embeddings && load(engines.embeddings)]);
  return { ...(llm && { llm }), ...(embeddings && { embeddings }) };
}

export const readyModalities = (registry: EngineRegistry): Modality[] => MODALITIES.filter((m) => registry[m]?.status === "ready");

export async function closeEngines(registry: EngineRegistry): Promise<void> {
  await Promise.all(MODALITIES.map((m) => registry[m]?.engine.close()));
}
