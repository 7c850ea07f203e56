import type { Modality } from "../miners/miner.js";
import type { UsageUnit } from "../billing/usage.js";

/**
 * The inference operations the API serves, each forwarded to the same path on a miner. A
 * chat completion is served by a language model, or by a vision model when it carries images.
 */
export const OPERATIONS = {
  "chat.completions": { path: "/v1/chat/completions", modalities: ["llm", "vision"] },
  embeddings: { path: "/v1/embeddings", modalities: ["embeddings"] },
  "audio.transcriptions": { path: "/v1/audio/transcriptions", modalities: ["stt"] },
  "audio.speech": { path: "/v1/audio/speech", modalities: ["tts"] },
  translations: { path: "/v1/translations", modalities: ["translation"] },
  "vision.analyze": { path: "/v1/vision/analyze", modalities: ["vision"] },
} as const satisfies Record<string, { path: string; modalities: readonly Modality[] }>;

export type OperationName = keyof typeof OPERATIONS;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

export const isOperationName = (value: string): value is OperationName => Object.hasOwn(OPERATIONS, value);

/** The unit an operation is billed in for a given serving model's modality. */
export function unitFor(operation: OperationName, modality: Modality): UsageUnit {
  // A vision model reading a chat's images is priced per image, like `vision.analyze`.
  if (operation === "chat.completions") return modality === "vision" ? "image" : "token";
  return ({ embeddings: "token", "audio.transcriptions": "second", "audio.speech": "character", translations: "character", "vision.analyze": "image" } as const)[operation];
}
