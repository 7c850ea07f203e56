import { Hono } from "hono";
import type { Modality } from "../../engines/engine.js";
import { MODALITIES, readyModalities } from "../../engines/registry.js";
import type { MinerContext } from "../context.js";
import { HttpError } from "../errors.js";

/** `GET /health`: liveness plus the modalities this miner serves (the network's probe only needs a 2xx). */
export const healthRoutes = (ctx: MinerContext) => new Hono().get("/", (c) => c.json({ status: "ok", modalities: readyModalities(ctx.registry) }));

const priceOf = (ctx: MinerContext, modality: Modality) => {
  const { price } = ctx.config[modality];
  return { unit: price.unit, tinybars_per_unit: price.tinybarsPerUnit };
};

/** Fields each modality adds to its models: context window, dimensions, voices, language pairs, tasks. */
function detailsOf(ctx: MinerContext, modality: Modality): Record<string, unknown> {
  const state = ctx.registry[modality];
  if (!state) return {};
  const { engine } = state;
  // The most a completion can be here (the cap on max_tokens, which also applies when it is left out):
  // what the network bounds, and bills at most, a chat without max_tokens by.
  if (engine.modality === "llm") return { ...engine.details?.(), context_length: engine.contextSize, max_completion_tokens: ctx.config.limits.maxTokens };
  if (engine.modality === "embeddings") return { dimensions: engine.dimensions };
  if (engine.modality === "stt") return { ...engine.details?.(), max_audio_seconds: ctx.config.stt.maxAudioSeconds };
  if (engine.modality === "tts") return { ...engine.details?.(), max_input_chars: ctx.config.tts.maxInputChars };
  if (engine.modality === "vision") return { ...engine.details?.(), max_image_bytes: ctx.config.vision.maxImageBytes };
  return engine.details?.() ?? {};
}

/**
 * `GET /v1/capabilities`: all six modalities with status, models, price and unit, and the reason
 * when one is off (vision also says which of its tasks is off, and why).
 */
export const capabilityRoutes = (ctx: MinerContext) =>
  new Hono().get("/", (c) => {
    const modalities = Object.fromEntries(
      MODALITIES.map((m) => {
        const state = ctx.registry[m];
        const price = priceOf(ctx, m);
        if (!state) return [m, { status: "off", reason: "disabled in the miner configuration", models: [], unit: price.unit, price }];
        const tasks =
          state.engine.modality === "vision"
            ? {
                tasks: Object.fromEntries(
                  Object.entries(state.engine.taskReasons).map(([task, reason]) => [task, state.status === "ready" && reason === null ? { status: "ready" } : { status: "off", reason: reason ?? state.reason }]),
                ),
              }
            : {};
        return [
          m,
          {
            status: state.status,
            ...(state.reason && { reason: state.reason }),
            models: [...state.engine.modelIds],
            unit: price.unit,
            price,
            load_ms: state.loadMs,
            ...(state.status === "ready" && detailsOf(ctx, m)),
            ...tasks,
          },
        ];
      }),
    );
    return c.json({ modalities });
  });

/** `GET /v1/models` (OpenAI list) and `GET /v1/models/:id`: only models whose engine is ready, with modality, price and unit. */
export function modelRoutes(ctx: MinerContext) {
  const listed = () =>
    readyModalities(ctx.registry).flatMap((modality) => {
      const engine = ctx.registry[modality]!.engine;
      const price = priceOf(ctx, modality);
      const extra = detailsOf(ctx, modality);
      return engine.modelIds.map((id) => ({ id, object: "model", created: ctx.startedAt, owned_by: "tensornode-miner", modality, ...extra, unit: price.unit, price }));
    });
  return new Hono()
    .get("/", (c) => c.json({ object: "list", data: listed() }))
    .get("/:id", (c) => {
      const model = listed().find((m) => m.id === c.req.param("id"));
      if (!model) throw new HttpError(404, `The model '${c.req.param("id")}' does not exist on this miner.`, "model_not_found", "model");
      return c.json(model);
    });
}
