import { Hono } from "hono";
import { MODALITIES, readyModalities } from "../../engines/registry.js";
import type { MinerContext } from "../context.js";
import { HttpError } from "../errors.js";

/** `GET /health`: liveness plus the modalities this miner serves (the network's probe only needs a 2xx). */
export const healthRoutes = (ctx: MinerContext) => new Hono().get("/", (c) => c.json({ status: "ok", modalities: readyModalities(ctx.registry) }));

/** `GET /v1/capabilities`: every modality with its status, and the reason when it is off. */
export const capabilityRoutes = (ctx: MinerContext) =>
  new Hono().get("/", (c) => {
    const modalities = Object.fromEntries(
      MODALITIES.map((m) => {
        const state = ctx.registry[m];
        if (!state) return [m, { status: "off", reason: "disabled in the miner configuration", models: [] }];
        return [m, { status: state.status, ...(state.reason && { reason: state.reason }), models: [...state.engine.modelIds], load_ms: state.loadMs }];
      }),
    );
    return c.json({ modalities });
  });

/** `GET /v1/models` (OpenAI list) and `GET /v1/models/:id`: only models whose engine is ready, with their price. */
export function modelRoutes(ctx: MinerContext) {
  const listed = () =>
    readyModalities(ctx.registry).flatMap((modality) => {
      const engine = ctx.registry[modality]!.engine;
      const { price } = ctx.config[modality];
      const extra = engine.modality === "llm" ? { context_length: engine.contextSize } : { dimensions: engine.dimensions };
      return engine.modelIds.map((id) => ({
        id,
        object: "model",
        created: ctx.startedAt,
        owned_by: "tensornode-miner",
        modality,
        ...extra,
        price: { unit: price.unit, tinybars_per_unit: price.tinybarsPerUnit },
      }));
    });
  return new Hono()
    .get("/", (c) => c.json({ object: "list", data: listed() }))
    .get("/:id", (c) => {
      const model = listed().find((m) => m.id === c.req.param("id"));
      if (!model) throw new HttpError(404, `The model '${c.req.param("id")}' does not exist on this miner.`, "model_not_found", "model");
      return c.json(model);
    });
}
